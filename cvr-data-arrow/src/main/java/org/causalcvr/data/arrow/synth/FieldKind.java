package org.causalcvr.data.arrow.synth;

/** How a synthetic field's id is drawn for an exposure. */
public enum FieldKind {
    /** The user: drawn per exposure from the user popularity law; also the group id. */
    USER_ID,
    /** The item: drawn per exposure from the item popularity law. */
    ITEM_ID,
    /** A fixed function of the user (profile, history): the same for every exposure of a user. */
    USER_ATTRIBUTE,
    /** A fixed function of the item (category, shop, brand). */
    ITEM_ATTRIBUTE,
    /** A fixed function of the user and the row's value of another field (its source). */
    CROSS,
    /** Drawn independently for every exposure (position, scenario). */
    CONTEXT
}
