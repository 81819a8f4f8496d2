package org.causalcvr.data.arrow.convert;

import java.util.Locale;
import org.causalcvr.api.DataException;

/**
 * The naive Bayes click propensity of the rating literature (Schnabel et al., ICML 2016; used for
 * Coat and Yahoo! R3 by DR-JL, MRDR, StableDR, TDR-CL and D-DR): the selection depends on the
 * (binary) label y only, and by Bayes' rule
 *
 * <pre>
 *   p(o=1 | y) = P(y | o=1) · P(o=1) / P(y)
 * </pre>
 *
 * where P(y | o=1) is the label's share among the self-selected (missing-not-at-random) ratings,
 * P(o=1) = self-selected ratings / (users × items), and P(y) the label's share in a small
 * missing-at-random sample. An exposure whose label is unknown (not rated) carries the marginal
 * P(o=1); IPW and DR estimators divide by p̂ only on clicked rows, so that value is the scale of
 * the rows where no weight is formed.
 *
 * @param observed P(o=1)
 * @param positiveGivenObserved P(y=1 | o=1)
 * @param positive P(y=1) in the missing-at-random sample
 * @param description how the figures were obtained (for the file's metadata)
 */
public record NaiveBayesPropensity(
        double observed, double positiveGivenObserved, double positive, String description)
        implements PropensityColumn {
    /** The method's name, as {@code --propensity} takes it and the metadata records it. */
    public static final String METHOD = "naive-bayes";

    public NaiveBayesPropensity {
        if (!(observed > 0 && observed <= 1)) {
            throw new IllegalArgumentException("P(o=1) = " + observed + " is outside (0, 1]");
        }
        if (!(positive > 0 && positive < 1)) {
            throw new IllegalArgumentException(
                    "P(y=1) = "
                            + positive
                            + " in the missing-at-random sample: it needs both labels");
        }
        if (!(positiveGivenObserved > 0 && positiveGivenObserved < 1)) {
            throw new IllegalArgumentException(
                    "P(y=1 | o=1) = "
                            + positiveGivenObserved
                            + " among the self-selected ratings: they need both labels");
        }
    }

    /**
     * Estimates the propensity from counts.
     *
     * @param observedRatings self-selected ratings (o = 1) in the training exposures
     * @param observedPositive those of them with y = 1
     * @param exposures users × items
     * @param randomRatings ratings of the missing-at-random sample
     * @param randomPositive those of them with y = 1
     * @param sample what the missing-at-random sample is, for the description
     * @throws DataException if a share is 0 or 1 (the ratio is then 0 or undefined)
     */
    public static NaiveBayesPropensity of(
            long observedRatings,
            long observedPositive,
            long exposures,
            long randomRatings,
            long randomPositive,
            String sample) {
        if (observedPositive <= 0 || observedPositive >= observedRatings) {
            throw new DataException(
                    "naive-bayes propensity: "
                            + observedPositive
                            + " of "
                            + observedRatings
                            + " self-selected ratings are positive; P(y | o=1) needs both labels");
        }
        if (randomPositive <= 0 || randomPositive >= randomRatings) {
            throw new DataException(
                    "naive-bayes propensity: "
                            + randomPositive
                            + " of "
                            + randomRatings
                            + " ratings of "
                            + sample
                            + " are positive; P(y) needs both labels");
        }
        double po = (double) observedRatings / exposures;
        double py1o = (double) observedPositive / observedRatings;
        double py1 = (double) randomPositive / randomRatings;
        String d =
                String.format(
                        Locale.ROOT,
                        "%s: p(o=1|y) = P(y|o=1) P(o=1) / P(y), y = conversion label;"
                                + " P(o=1) = %d/%d = %.6g, P(y=1|o=1) = %d/%d = %.6g"
                                + " (self-selected ratings), P(y=1) = %d/%d = %.6g (%s);"
                                + " p(o=1|y=1) = %.6g, p(o=1|y=0) = %.6g; rows with o=0 (label"
                                + " unknown) carry P(o=1)",
                        METHOD,
                        observedRatings,
                        exposures,
                        po,
                        observedPositive,
                        observedRatings,
                        py1o,
                        randomPositive,
                        randomRatings,
                        py1,
                        sample,
                        Math.min(1.0, py1o * po / py1),
                        Math.min(1.0, (1 - py1o) * po / (1 - py1)));
        return new NaiveBayesPropensity(po, py1o, py1, d);
    }

    /** p(o=1 | y), capped at 1. */
    public double givenLabel(int label) {
        double p =
                label == 1
                        ? positiveGivenObserved * observed / positive
                        : (1 - positiveGivenObserved) * observed / (1 - positive);
        return Math.min(1.0, p);
    }

    /** The value written for a row: p(o=1 | y) where clicked (label known), P(o=1) where not. */
    public float forRow(int click, int conversion) {
        return (float) (click == 1 ? givenLabel(conversion) : observed);
    }

    /** As {@link #forRow(int, int)}: the binary method reads the label, not the rating. */
    @Override
    public float forRow(int click, int rating, int conversion) {
        return forRow(click, conversion);
    }
}
