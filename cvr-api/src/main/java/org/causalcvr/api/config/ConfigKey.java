package org.causalcvr.api.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key: its name, type, default, allowed values and documentation.
 *
 * <p>Keys are flat, lower-case, dash-separated strings ({@code undersample-rate}). A key parses its
 * value from a string and validates it; both failures raise a {@link ConfigException} that names
 * the key, the value and what is allowed.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final String allowed;
    private final String description;
    private final Function<String, T> parser;
    private final Predicate<T> validator;

    private ConfigKey(
            String name,
            Class<T> type,
            T defaultValue,
            String allowed,
            String description,
            Function<String, T> parser,
            Predicate<T> validator) {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException(
                    "Config key '" + name + "' must be lower-case words separated by dashes");
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.description = Objects.requireNonNull(description);
        this.parser = parser;
        this.validator = validator;
        if (defaultValue != null && !validator.test(defaultValue)) {
            throw new IllegalArgumentException(
                    "Default " + defaultValue + " of '" + name + "' is outside " + allowed);
        }
    }

    /** A real-valued key whose values must lie in {@code range}. */
    public static ConfigKey<Double> ofDouble(
            String name, double defaultValue, DoubleRange range, String description) {
        return new ConfigKey<>(
                name,
                Double.class,
                defaultValue,
                range.toString(),
                description,
                s -> parseDouble(name, s),
                range::contains);
    }

    /** An integer key whose values must lie in [min, max]. */
    public static ConfigKey<Integer> ofInt(
            String name, int defaultValue, int min, int max, String description) {
        return new ConfigKey<>(
                name,
                Integer.class,
                defaultValue,
                "[" + min + ", " + max + "]",
                description,
                s -> parseInt(name, s),
                v -> v >= min && v <= max);
    }

    /** A long key whose values must lie in [min, max]. */
    public static ConfigKey<Long> ofLong(
            String name, long defaultValue, long min, long max, String description) {
        return new ConfigKey<>(
                name,
                Long.class,
                defaultValue,
                "[" + min + ", " + max + "]",
                description,
                s -> parseLong(name, s),
                v -> v >= min && v <= max);
    }

    /** A boolean key: {@code true} or {@code false}. */
    public static ConfigKey<Boolean> ofBoolean(
            String name, boolean defaultValue, String description) {
        return new ConfigKey<>(
                name,
                Boolean.class,
                defaultValue,
                "{true, false}",
                description,
                s -> parseBoolean(name, s),
                v -> true);
    }

    /**
     * A text key (a list of widths, a path) whose values must satisfy {@code valid}; {@code
     * allowed} describes the accepted texts in messages.
     */
    public static ConfigKey<String> ofString(
            String name,
            String defaultValue,
            String allowed,
            String description,
            Predicate<String> valid) {
        return new ConfigKey<>(
                name, String.class, defaultValue, allowed, description, s -> s, valid);
    }

    /** An enum key; values are the constants' names, lower-case with dashes for underscores. */
    public static <E extends Enum<E>> ConfigKey<E> ofEnum(
            String name, Class<E> type, E defaultValue, String description) {
        String allowed =
                Arrays.stream(type.getEnumConstants())
                        .map(ConfigKey::enumText)
                        .reduce((a, b) -> a + ", " + b)
                        .map(s -> "{" + s + "}")
                        .orElse("{}");
        return new ConfigKey<>(
                name,
                type,
                defaultValue,
                allowed,
                description,
                s -> {
                    for (E e : type.getEnumConstants()) {
                        if (enumText(e).equalsIgnoreCase(s.trim())
                                || e.name().equalsIgnoreCase(s.trim())) {
                            return e;
                        }
                    }
                    throw new ConfigException(
                            "Config key '" + name + "' = '" + s + "' is not one of " + allowed);
                },
                v -> true);
    }

    /**
     * The text of an enum constant as it is written in configuration: {@code SELF_NORMALISED} →
     * {@code self-normalised}.
     */
    public static String enumText(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The allowed values, as shown to users: {@code (0, +inf)}, {@code {joint, two-stage}}. */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    /** Parses and validates; throws {@link ConfigException} naming this key on failure. */
    public T parse(String text) {
        if (text == null) {
            throw new ConfigException("Config key '" + name + "' has no value");
        }
        T value = parser.apply(text.trim());
        return validate(value);
    }

    /** Validates a typed value; throws {@link ConfigException} naming this key on failure. */
    public T validate(T value) {
        if (value == null || !validator.test(value)) {
            throw ConfigException.outOfRange(name, value, allowed);
        }
        return value;
    }

    /** The value as it is written in configuration. */
    public String format(T value) {
        if (value instanceof Enum<?> e) {
            return enumText(e);
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return name
                + " ("
                + type.getSimpleName()
                + ", default "
                + format(defaultValue)
                + ", allowed "
                + allowed
                + ")";
    }

    private static double parseDouble(String key, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("Config key '" + key + "' = '" + s + "' is not a number");
        }
    }

    private static int parseInt(String key, String s) {
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException("Config key '" + key + "' = '" + s + "' is not an integer");
        }
    }

    private static long parseLong(String key, String s) {
        try {
            String t = s.replace("_", "");
            if (t.matches("[0-9.]+[eE][0-9]+")) {
                double d = Double.parseDouble(t);
                if (d == Math.rint(d) && Math.abs(d) < 9e18) {
                    return (long) d;
                }
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ConfigException("Config key '" + key + "' = '" + s + "' is not an integer");
        }
    }

    private static boolean parseBoolean(String key, String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(
                "Config key '" + key + "' = '" + s + "' is not a boolean: allowed {true, false}");
    }
}
