package org.causalcvr.data.arrow.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that a test file is an honest held-out sample for a training file: drawn from the same
 * synthetic world, and sharing none of its rows. A test file from another world (for example {@code
 * cvr generate --seed 2} against a training file of {@code --seed 1}) has other user and item
 * effects, so every model scores an AUC near 0.5 on it whatever it learned; a test file that
 * repeats training rows overstates every model.
 *
 * <p>Files that record no world (converted real data) are not checked: the methods return no
 * warning.
 */
public final class SplitCheck {
    private SplitCheck() {}

    /**
     * One line per problem found between the training data's world and the test data's, empty when
     * the test data is an honest sample (or either side records no world).
     *
     * @param trainName how the training data is called in the messages, a phrase that reads after
     *     "than" (for example "the training data train.arrow" or "the model's training data")
     * @param testName how the test data is called in the messages (a path)
     */
    public static List<String> compare(
            Optional<WorldProvenance> train,
            Optional<WorldProvenance> test,
            String trainName,
            String testName) {
        if (train.isEmpty() || test.isEmpty()) {
            return List.of();
        }
        return compare(train.get(), test.get(), trainName, testName);
    }

    /** {@link #compare(Optional, Optional, String, String)} for two recorded worlds. */
    public static List<String> compare(
            WorldProvenance train, WorldProvenance test, String trainName, String testName) {
        List<String> warnings = new ArrayList<>();
        if (train.seed() != test.seed()) {
            warnings.add(
                    String.format(
                            Locale.ROOT,
                            "%s comes from another synthetic world than %s"
                                    + " (world seed %d, training %d): its users and items behave"
                                    + " differently, so scores on it say nothing about the model;"
                                    + " draw held-out rows from the training world with 'cvr"
                                    + " generate --test-rows' or '--valid-rows' (or --first-row)",
                            testName,
                            trainName,
                            test.seed(),
                            train.seed()));
        } else if (!train.parameters().equals(test.parameters())) {
            warnings.add(
                    String.format(
                            Locale.ROOT,
                            "%s comes from a synthetic world with other parameters than %s"
                                    + " (parameter fingerprints %s and %s)",
                            testName,
                            trainName,
                            test.parameters(),
                            train.parameters()));
        } else {
            long shared = train.sharedRows(test);
            if (shared > 0) {
                warnings.add(
                        String.format(
                                Locale.ROOT,
                                "%s shares %,d rows with %s (world rows [%d, %d)"
                                        + " and [%d, %d)): the test is not held out",
                                testName,
                                shared,
                                trainName,
                                test.firstRow(),
                                test.endRow(),
                                train.firstRow(),
                                train.endRow()));
            }
        }
        return warnings;
    }
}
