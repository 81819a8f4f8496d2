package org.causalcvr.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.synth.SplitCheck;
import org.causalcvr.data.arrow.synth.WorldProvenance;

/**
 * One warning line on stderr per {@link SplitCheck} problem between the training data and the test
 * data of a command: a test file drawn from another synthetic world, or sharing training rows.
 * Files that record no world (real data) are never warned about.
 */
final class SplitWarnings {
    private SplitWarnings() {}

    /** Checks {@code test} against the training data a saved model's provenance names. */
    static void forModel(Provenance model, ExposureSource test, Path testFile, PrintWriter err) {
        print(
                SplitCheck.compare(
                        WorldProvenance.fromFingerprint(model.dataFingerprint()),
                        WorldProvenance.of(test),
                        "the model's training data",
                        testFile.toString()),
                err);
    }

    /** Checks the test file against the training file. */
    static void between(Path train, Path test, PrintWriter err) {
        print(
                SplitCheck.compare(
                        WorldProvenance.read(train),
                        WorldProvenance.read(test),
                        "the training data " + train,
                        test.toString()),
                err);
    }

    private static void print(java.util.List<String> warnings, PrintWriter err) {
        warnings.forEach(w -> err.println("Warning: " + w));
        err.flush();
    }
}
