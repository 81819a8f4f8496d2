package org.causalcvr.cli;

import java.nio.file.Path;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ExposureSources;

/** Opens exposure-log files for the commands, all under the program's one allocator. */
final class DataFiles {
    private DataFiles() {}

    /** An exposure log (Arrow IPC, Parquet, or a folder of them), validated as it streams. */
    static ExposureSource open(Path file, Allocators memory) {
        return ExposureSources.open(file, memory);
    }
}
