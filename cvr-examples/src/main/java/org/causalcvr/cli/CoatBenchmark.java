package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.convert.CoatConverter;
import org.causalcvr.data.arrow.convert.RatingNaiveBayesPropensity;

/**
 * Coat (Schnabel et al. 2016) as a comparison benchmark: converted once into a work folder, with
 * the protocol written into the report's provenance.
 *
 * @param train the converted training file
 * @param test the converted test file
 * @param validation the converted validation file, where the protocol has one (5-5-90)
 * @param title the report's heading
 * @param provenance what the report says about the protocol and the published figures
 */
record CoatBenchmark(
        Path train,
        Path test,
        Optional<Path> validation,
        String title,
        Map<String, Object> provenance) {
    /**
     * The propensity column that {@code 5-5-90} writes: the one whose data the entries of
     * tuned/coat-5-5-90.json with {@code propensity=column} were chosen (or, where not searched on
     * it, kept) on; the file's note names it in its {@code cvr convert} command.
     */
    static final String FIVE_FIVE_NINETY_PROPENSITY = RatingNaiveBayesPropensity.METHOD;

    /**
     * Converts Coat under {@code protocol} and {@code threshold} (cached in {@code work}); {@code
     * 5-5-90} also writes the rating-level naive-Bayes propensity column ({@link
     * #FIVE_FIVE_NINETY_PROPENSITY}, P(k) from the 5% of the random set appended to training),
     * which the tuned settings of that protocol read with {@code propensity=column}.
     */
    static CoatBenchmark prepare(
            Path coat, Path work, String protocol, int threshold, Allocators memory) {
        ConvertCommand.checkThreshold(threshold);
        boolean fiveFiveNinety =
                CoatConverter.Protocol.of(protocol) == CoatConverter.Protocol.FIVE_FIVE_NINETY;
        String propensity = fiveFiveNinety ? FIVE_FIVE_NINETY_PROPENSITY : "none";
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
                        1,
                        memory);
        var provenance = new LinkedHashMap<String, Object>();
        provenance.put(
                "protocol",
                "Coat (Schnabel et al. 2016): exposures = all 290x300 user-item pairs; click = rated in the"
                        + " self-selected (MNAR) set; conversion = rating >= "
                        + threshold
                        + "; "
                        + (fiveFiveNinety
                                ? "5% of the random set added to training (and the P(k) of the"
                                        + " rating-level naive-Bayes propensity column, p(o=1|k) ="
                                        + " P(k|o=1) P(o=1) / P(k), k = rating 1..5), 5% validation"
                                        + " (read by the tuning of tuned/coat-5-5-90.json, and by"
                                        + " --early-stopping when asked; never the test), 90% test"
                                : "test = the whole missing-at-random set")
                        + ". The cvr-clicked AUC on the test set is the usual Coat AUC.");
        provenance.put(
                "published",
                "AUC on Coat's random test set: Multi-IPW 0.719, ESCM2 0.730 (arXiv 2210.11039; their protocol"
                        + " and threshold may differ from ours)");
        return new CoatBenchmark(
                converted.train(),
                converted.test(),
                converted.validation(),
                "Coat, protocol " + protocol + ", conversion = rating >= " + threshold,
                provenance);
    }
}
