package org.causalcvr.api.data;

/**
 * What a categorical feature field describes. Only features have roles: labels, group ids and
 * ground truth are not fields of a {@link FeatureSchema} at all.
 */
public enum FieldRole {
    /** Describes the user (user id, profile, history). */
    USER,
    /** Describes the item (item id, category, shop, brand). */
    ITEM,
    /** Describes the exposure's context (position, scenario). */
    CONTEXT,
    /** A combination of user and item features. */
    CROSS
}
