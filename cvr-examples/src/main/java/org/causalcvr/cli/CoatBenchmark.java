package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.causalcvr.data.arrow.Allocators;

/**
 * Coat (Schnabel et al. 2016) as a comparison benchmark: converted once into a work folder, with
 * the protocol written into the report's provenance.
 *
 * @param train the converted training file
 * @param test the converted test file
 * @param title the report's heading
 * @param provenance what the report says about the protocol and the published figures
 */
record CoatBenchmark(Path train, Path test, String title, Map<String, Object> provenance) {

    /** Converts Coat under {@code protocol} and {@code threshold} (cached in {@code work}). */
    static CoatBenchmark prepare(
            Path coat, Path work, String protocol, int threshold, Allocators memory) {
        ConvertCommand.checkThreshold(threshold);
        Path folder = work.resolve("coat-" + protocol + "-t" + threshold + "-s1");
        var converted =
                ConvertCommand.convertCoat(
                        coat == null ? ConvertCommand.defaultCoat() : coat,
                        folder,
                        protocol,
                        threshold,
                        1,
                        memory);
        var provenance = new LinkedHashMap<String, Object>();
        provenance.put(
                "protocol",
                "Coat (Schnabel et al. 2016): exposures = all 290x300 user-item pairs; click = rated in the"
                        + " self-selected (MNAR) set; conversion = rating >= "
                        + threshold
                        + "; "
                        + (protocol.equals("5-5-90")
                                ? "5% of the random set added to training, 5% validation (unused), 90% test"
                                : "test = the whole missing-at-random set")
                        + ". The cvr-clicked AUC on the test set is the usual Coat AUC.");
        provenance.put(
                "published",
                "AUC on Coat's random test set: Multi-IPW 0.719, ESCM2 0.730 (arXiv 2210.11039; their protocol"
                        + " and threshold may differ from ours)");
        return new CoatBenchmark(
                converted.train(),
                converted.test(),
                "Coat, protocol " + protocol + ", conversion = rating >= " + threshold,
                provenance);
    }
}
