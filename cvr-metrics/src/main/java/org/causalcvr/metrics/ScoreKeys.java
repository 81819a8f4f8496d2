package org.causalcvr.metrics;

import org.causalcvr.api.DataException;

/**
 * The order-preserving map from {@code float} scores to {@code int} keys: {@code a < b} as floats
 * exactly when {@code key(a) < key(b)} as signed ints, and {@code a == b} (including {@code -0.0f
 * == 0.0f}) exactly when the keys are equal. NaN has no place in an order and is refused.
 */
final class ScoreKeys {
    private ScoreKeys() {}

    static int key(float score) {
        // Adding +0.0f turns -0.0f into +0.0f, so the two zeros tie as they compare equal.
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    static float score(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
    }

    static void requireNumber(float score, String what, long row) {
        if (Float.isNaN(score)) {
            throw new DataException(what + ", row " + row + ": score is NaN");
        }
    }
}
