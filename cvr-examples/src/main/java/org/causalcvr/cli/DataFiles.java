package org.causalcvr.cli;

import java.nio.file.Path;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ExposureSources;
import org.causalcvr.data.arrow.ReadOptions;
import org.causalcvr.data.arrow.Verification;

/** Opens exposure-log files for the commands, all under the program's one allocator. */
final class DataFiles {
    private DataFiles() {}

    /** Set by {@code cvr --verify} for this run (one command per process, reset per execute). */
    private static volatile boolean verifyAll;

    static void verifyAll(boolean on) {
        verifyAll = on;
    }

    /** An exposure log (Arrow IPC, Parquet, or a folder of them), validated as it streams. */
    static ExposureSource open(Path file, Allocators memory) {
        ReadOptions options = ReadOptions.strict();
        return ExposureSources.open(
                file,
                memory.root(),
                verifyAll ? options.withVerification(Verification.ON) : options);
    }
}
