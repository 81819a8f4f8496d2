package org.causalcvr.data.arrow.convert;

import java.util.Arrays;
import java.util.Locale;
import org.causalcvr.api.DataException;

/**
 * The naive Bayes click propensity over the raw rating levels (Schnabel et al., ICML 2016, for
 * missing-not-at-random ratings): the selection depends on the rating k only, and by Bayes' rule
 *
 * <pre>
 *   p(o=1 | k) = P(k | o=1) · P(o=1) / P(k),   k = 1..levels
 * </pre>
 *
 * where P(k | o=1) is level k's share among the self-selected (missing-not-at-random) ratings,
 * P(o=1) = self-selected ratings / (users × items), and P(k) level k's share in a small
 * missing-at-random sample. Unlike {@link NaiveBayesPropensity} (binary label), p̂ takes one value
 * per level, so it separates, e.g., the rarely self-reported middle ratings from the extremes.
 *
 * <p>Both shares are add-one (Laplace) smoothed, P(k | o=1) = (n_k + 1) / (n + levels) and P(k) =
 * (m_k + 1) / (m + levels): a level absent from the small random sample would otherwise divide by
 * zero, and one absent from the self-selected ratings would give p̂ = 0. An exposure that was not
 * rated carries the marginal P(o=1) (IPW and DR estimators form 1/p̂ only on rated rows). Values
 * are capped at 1.
 *
 * @param observed P(o=1)
 * @param byLevel p(o=1 | k) at index k − 1
 * @param description how the figures were obtained (for the file's metadata)
 */
public record RatingNaiveBayesPropensity(double observed, double[] byLevel, String description)
        implements PropensityColumn {
    /** The method's name, as {@code --propensity} takes it and the metadata records it. */
    public static final String METHOD = "naive-bayes-rating";

    public RatingNaiveBayesPropensity {
        if (!(observed > 0 && observed <= 1)) {
            throw new IllegalArgumentException("P(o=1) = " + observed + " is outside (0, 1]");
        }
        byLevel = byLevel.clone();
        for (double p : byLevel) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("p(o=1 | k) = " + p + " is outside (0, 1]");
            }
        }
    }

    /**
     * Estimates the propensity from counts per rating level.
     *
     * @param observedByLevel self-selected ratings (o = 1) in the training exposures, by level k at
     *     index k − 1
     * @param exposures users × items
     * @param randomByLevel the missing-at-random sample's ratings by level
     * @param sample what the missing-at-random sample is, for the description
     * @throws DataException if either set has no rating, or the two have different level counts
     */
    public static RatingNaiveBayesPropensity of(
            long[] observedByLevel, long exposures, long[] randomByLevel, String sample) {
        int levels = observedByLevel.length;
        if (levels == 0 || randomByLevel.length != levels) {
            throw new DataException(
                    "naive-bayes-rating propensity: "
                            + levels
                            + " self-selected rating levels against "
                            + randomByLevel.length
                            + " in "
                            + sample);
        }
        long n = Arrays.stream(observedByLevel).sum();
        long m = Arrays.stream(randomByLevel).sum();
        if (n <= 0 || m <= 0 || n > exposures) {
            throw new DataException(
                    "naive-bayes-rating propensity: "
                            + n
                            + " self-selected ratings of "
                            + exposures
                            + " pairs and "
                            + m
                            + " ratings in "
                            + sample
                            + "; both must be positive");
        }
        double po = (double) n / exposures;
        double[] p = new double[levels];
        StringBuilder perLevel = new StringBuilder();
        for (int k = 0; k < levels; k++) {
            double givenObserved = (observedByLevel[k] + 1.0) / (n + levels);
            double marginal = (randomByLevel[k] + 1.0) / (m + levels);
            p[k] = Math.min(1.0, givenObserved * po / marginal);
            perLevel.append(
                    String.format(
                            Locale.ROOT,
                            "%s k=%d: P(k|o=1) = (%d+1)/(%d+%d) = %.6g, P(k) = (%d+1)/(%d+%d) ="
                                    + " %.6g, p(o=1|k) = %.6g",
                            k == 0 ? "" : ";",
                            k + 1,
                            observedByLevel[k],
                            n,
                            levels,
                            givenObserved,
                            randomByLevel[k],
                            m,
                            levels,
                            marginal,
                            p[k]));
        }
        String d =
                String.format(
                        Locale.ROOT,
                        "%s: p(o=1|k) = P(k|o=1) P(o=1) / P(k) over rating levels k = 1..%d,"
                                + " add-one (Laplace) smoothed shares; P(o=1) = %d/%d = %.6g"
                                + " (self-selected ratings), P(k) from %s;%s; rows with o=0"
                                + " (not rated) carry P(o=1)",
                        METHOD,
                        levels,
                        n,
                        exposures,
                        po,
                        sample,
                        perLevel);
        return new RatingNaiveBayesPropensity(po, p, d);
    }

    /** The number of rating levels (ratings are 1..levels). */
    public int levels() {
        return byLevel.length;
    }

    /** p(o=1 | k), capped at 1. */
    public double givenRating(int rating) {
        if (rating < 1 || rating > byLevel.length) {
            throw new DataException(
                    "naive-bayes-rating propensity: rating "
                            + rating
                            + " is outside 1.."
                            + byLevel.length);
        }
        return byLevel[rating - 1];
    }

    /** The value written for a row: p(o=1 | k) where rated, P(o=1) where not. */
    @Override
    public float forRow(int click, int rating, int conversion) {
        return (float) (click == 1 ? givenRating(rating) : observed);
    }

    @Override
    public double[] byLevel() {
        return byLevel.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatingNaiveBayesPropensity r
                && r.observed == observed
                && Arrays.equals(r.byLevel, byLevel)
                && r.description.equals(description);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(observed) + Arrays.hashCode(byLevel);
    }

    @Override
    public String toString() {
        return description;
    }
}
