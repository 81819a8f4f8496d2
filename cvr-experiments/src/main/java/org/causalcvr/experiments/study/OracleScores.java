package org.causalcvr.experiments.study;

import java.util.Objects;

/**
 * Scores of a world's test rows that no estimator trained: a function the world's author knows,
 * such as the best prediction of the true CVR from the features, which the study reports beside the
 * estimators so that each figure has its ceiling next to it.
 *
 * @param name a short label for the table, such as {@code "oracle E[q | x]"}
 * @param meaning one sentence: what the scores are and why they matter
 * @param scores one score per test row, in the test log's row order
 */
public record OracleScores(String name, String meaning, float[] scores) {
    public OracleScores {
        Objects.requireNonNull(name);
        Objects.requireNonNull(meaning);
        Objects.requireNonNull(scores);
    }
}
