package org.causalcvr.cli;

import java.nio.file.Path;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;

/** Opens exposure-log files for the commands, all under the program's one allocator. */
final class DataFiles {
    private DataFiles() {}

    /** An Arrow IPC file or stream as a re-readable source (validated as it streams). */
    static ExposureSource open(Path file, Allocators memory) {
        return ArrowExposureSource.open(file, memory);
    }
}
