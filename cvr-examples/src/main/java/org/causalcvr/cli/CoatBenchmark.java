package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.convert.CoatConverter;
import org.causalcvr.data.arrow.convert.NaiveBayesPropensity;

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

    /**
     * Converts Coat under {@code protocol} and {@code threshold} (cached in {@code work}); {@code
     * 5-5-90} also writes the naive-Bayes propensity column (P(y) from the 5% of the random set
     * appended to training), which the tuned settings of that protocol read with {@code
     * propensity=column}.
     */
    static CoatBenchmark prepare(
            Path coat, Path work, String protocol, int threshold, Allocators memory) {
        ConvertCommand.checkThreshold(threshold);
        boolean fiveFiveNinety =
                CoatConverter.Protocol.of(protocol) == CoatConverter.Protocol.FIVE_FIVE_NINETY;
        String propensity = fiveFiveNinety ? NaiveBayesPropensity.METHOD : "none";
        Path folder =
                work.resolve(
                        "coat-"
                                + protocol
                                + "-t"
                                + threshold
                                + "-s1"
                                + (fiveFiveNinety ? "-" + propensity : ""));
        var converted =
                ConvertCommand.convertCoat(
                        coat == null ? ConvertCommand.defaultCoat() : coat,
                        folder,
                        protocol,
                        threshold,
                        1,
                        0.0,
                        propensity,
                        memory);
        var provenance = new LinkedHashMap<String, Object>();
        provenance.put(
                "protocol",
                "Coat (Schnabel et al. 2016): exposures = all 290x300 user-item pairs; click = rated in the"
                        + " self-selected (MNAR) set; conversion = rating >= "
                        + threshold
                        + "; "
                        + (fiveFiveNinety
                                ? "5% of the random set added to training (and the P(y) of the"
                                        + " naive-Bayes propensity column, p(o=1|y) = P(y|o=1)"
                                        + " P(o=1) / P(y)), 5% validation (read only by the tuning"
                                        + " of tuned/coat-5-5-90.json), 90% test"
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
