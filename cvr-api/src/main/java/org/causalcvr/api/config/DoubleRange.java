package org.causalcvr.api.config;

/**
 * An interval of the real line, each end open or closed; NaN is never inside.
 *
 * @param min lower end ({@code Double.NEGATIVE_INFINITY} for none)
 * @param minInclusive whether {@code min} itself is allowed
 * @param max upper end ({@code Double.POSITIVE_INFINITY} for none)
 * @param maxInclusive whether {@code max} itself is allowed
 */
public record DoubleRange(double min, boolean minInclusive, double max, boolean maxInclusive) {
    public DoubleRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("Empty range [" + min + ", " + max + "]");
        }
    }

    /** [min, max]. */
    public static DoubleRange closed(double min, double max) {
        return new DoubleRange(min, true, max, true);
    }

    /** (min, max). */
    public static DoubleRange open(double min, double max) {
        return new DoubleRange(min, false, max, false);
    }

    /** (min, +inf). */
    public static DoubleRange positive() {
        return new DoubleRange(0, false, Double.POSITIVE_INFINITY, false);
    }

    /** [min, +inf). */
    public static DoubleRange atLeast(double min) {
        return new DoubleRange(min, true, Double.POSITIVE_INFINITY, false);
    }

    /** Every finite number. */
    public static DoubleRange finite() {
        return new DoubleRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    }

    public boolean contains(double x) {
        if (Double.isNaN(x)) {
            return false;
        }
        boolean aboveMin = minInclusive ? x >= min : x > min;
        boolean belowMax = maxInclusive ? x <= max : x < max;
        return aboveMin && belowMax;
    }

    @Override
    public String toString() {
        return (minInclusive ? "[" : "(")
                + format(min)
                + ", "
                + format(max)
                + (maxInclusive ? "]" : ")");
    }

    private static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }
}
