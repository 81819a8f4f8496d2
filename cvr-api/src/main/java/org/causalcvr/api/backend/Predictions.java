package org.causalcvr.api.backend;

/**
 * A model's probabilities for the rows of one batch.
 *
 * @param ctr pCTR = P(o=1 | x) per row
 * @param cvr pCVR = P(r=1 | o=1, x) per row, predicted on every exposure
 */
public record Predictions(float[] ctr, float[] cvr) {
    public Predictions {
        if (ctr.length != cvr.length) {
            throw new IllegalArgumentException(
                    "ctr has " + ctr.length + " rows, cvr " + cvr.length);
        }
    }

    public int size() {
        return cvr.length;
    }

    /** pCTCVR = pCTR · pCVR per row (paper eq. 10's decomposition, as in ESMM). */
    public float[] ctcvr() {
        float[] out = new float[cvr.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ctr[i] * cvr[i];
        }
        return out;
    }
}
