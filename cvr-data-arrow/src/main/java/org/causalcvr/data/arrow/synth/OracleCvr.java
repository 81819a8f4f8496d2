package org.causalcvr.data.arrow.synth;

/**
 * Two conversion probabilities per exposure that only the world's author can compute: what an
 * estimator on the features could at best predict, and what every estimator here converges to.
 *
 * <p>With {@code x} the features of an exposure and {@code h} the hidden part of its confounder
 * (see {@link SyntheticWorld}), the true CVR is {@code q = σ(B(x) + γ·sqrt(1-v)·h)} and the click
 * propensity {@code p = σ(A(x) + γ·sqrt(1-v)·h)}, with {@code A, B} the parts the features fix (the
 * seen confounder, the popularity skew and the intercepts included) and {@code h ~ N(0, 1)}
 * independent of {@code x}. Then
 *
 * <pre>
 *   givenFeatures(x)         = E[q | x]        = ∫ σ(B + γ·sqrt(1-v)·h) φ(h) dh
 *   givenFeaturesAndClick(x) = E[q | x, o = 1] = ∫ p·q φ(h) dh / ∫ p φ(h) dh
 * </pre>
 *
 * The first is the best prediction of the true CVR from the features (the ceiling of any model on
 * them); the second is the population target of every estimator whose propensity is a function of
 * the features (Base directly; ESMM as pCTCVR/pCTR; IPW and DR with weights constant given {@code
 * x}): their AUC against the true CVR tends to its AUC with enough data and a model that fits. With
 * the confounder all seen ({@code v = 1}) both equal {@code q}.
 *
 * @param givenFeatures per row, {@code E[q | x]}
 * @param givenFeaturesAndClick per row, {@code E[q | x, o = 1]}
 */
public record OracleCvr(float[] givenFeatures, float[] givenFeaturesAndClick) {
    public OracleCvr {
        if (givenFeatures.length != givenFeaturesAndClick.length) {
            throw new IllegalArgumentException(
                    "Oracle columns of "
                            + givenFeatures.length
                            + " and "
                            + givenFeaturesAndClick.length
                            + " rows");
        }
    }

    /** The number of rows. */
    public int rows() {
        return givenFeatures.length;
    }
}
