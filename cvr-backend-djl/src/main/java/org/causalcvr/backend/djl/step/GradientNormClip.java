package org.causalcvr.backend.djl.step;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Gradient clipping by global norm (Pascanu, Mikolov and Bengio, On the difficulty of training
 * recurrent neural networks, ICML 2013; PyTorch's {@code clip_grad_norm_}): when the joint L2 norm
 * of a step's gradients
 *
 * <pre>  ‖g‖ = √( Σ over every gradient array Σ_i g_i² )</pre>
 *
 * exceeds the bound c, every gradient is multiplied by c/‖g‖, so the step keeps its direction and
 * its gradient has norm exactly c; otherwise nothing changes.
 *
 * <p>Why Adam needs it although Adam normalises each coordinate: a single batch whose gradient is
 * many times the usual (a clicked row with a tiny p̂ in an IPW or DR loss) enters the first moment
 * with weight 1 − β1 and the second with 1 − β2, so that step moves about (1 − β1)/√(1 − β2) ≈ 3
 * times as far as a usual one in the spike's direction, and the inflated second moment then damps
 * the next thousand steps. Clipping bounds what one batch can do; a bound above every step's norm
 * changes no bit.
 *
 * <p>The norm is summed in double precision in a fixed order (the tower gradients, then the
 * embedding gradients, each in the order given), so a run is the same bytes whatever the thread
 * count. Stateless: a resumed run clips as an uninterrupted one.
 *
 * @param maxNorm the bound c; 0 turns clipping off (as does +∞, which no norm exceeds)
 */
public record GradientNormClip(double maxNorm) {
    /** No clipping. */
    public static final GradientNormClip NONE = new GradientNormClip(0.0);

    public GradientNormClip {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0: " + maxNorm);
        }
    }

    /** Whether this clip can change a gradient. */
    public boolean enabled() {
        return maxNorm > 0;
    }

    /**
     * Rescales, in place, {@code towerGradients} (engine arrays) and {@code embeddingGradients} so
     * that their joint norm is at most {@link #maxNorm}, and returns their norm before (NaN when
     * clipping is off and nothing was computed). They were rescaled exactly when {@link
     * #binds(double)} says so of the returned norm.
     */
    public double apply(List<NDArray> towerGradients, List<float[]> embeddingGradients) {
        if (!enabled()) {
            return Double.NaN;
        }
        double norm = norm(towerGradients, embeddingGradients);
        if (!binds(norm)) {
            // Within the bound, or not finite (the loss guard has already refused a non-finite
            // loss; a non-finite gradient is left for Adam to expose, not hidden by a 0 scale).
            return norm;
        }
        double scale = maxNorm / norm;
        for (NDArray g : towerGradients) {
            g.muli((float) scale);
        }
        for (float[] g : embeddingGradients) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (g[i] * scale);
            }
        }
        return norm;
    }

    /** Whether gradients of joint norm {@code norm} are rescaled. */
    public boolean binds(double norm) {
        return enabled() && norm > maxNorm;
    }

    /** The joint L2 norm of the gradients, summed in double precision in the order given. */
    public static double norm(List<NDArray> towerGradients, List<float[]> embeddingGradients) {
        double sum = 0;
        for (NDArray g : towerGradients) {
            for (float x : g.toFloatArray()) {
                sum += (double) x * x;
            }
        }
        for (float[] g : embeddingGradients) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }
}
