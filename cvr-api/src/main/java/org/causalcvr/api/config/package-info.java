/**
 * Strict, validated configuration: a {@link org.causalcvr.api.config.ConfigSchema} of typed {@link
 * org.causalcvr.api.config.ConfigKey}s (flat, dash-separated names, each with a default, a range
 * and a line of documentation) resolves the strings a user wrote into an immutable {@link
 * org.causalcvr.api.config.Config}. An unknown key, an unparsable value or one out of range fails
 * with a one-line {@link org.causalcvr.api.config.ConfigException} naming key, value and what is
 * allowed.
 */
package org.causalcvr.api.config;
