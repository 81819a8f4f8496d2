package org.causalcvr.metrics;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.config.DoubleRange;

/**
 * The options of an {@link Evaluator}, validated at construction. Build with {@link #defaults()}
 * and the {@code with...} methods, or from flat strings through {@link #SCHEMA} and {@link
 * #fromConfig(Config)} (the CLI's {@code --metric-option key=value}).
 *
 * @param k the cut-off of Recall@K and NDCG@K, at least 1 (default 10)
 * @param calibrationBins bins of the calibration table and ECE, at least 1 (default 10)
 * @param binning equal-width or equal-mass bins (default equal-mass: CVR predictions crowd near 0,
 *     where equal-width bins would put almost every row into the first bin)
 * @param labelSeed the seed of the conversion labels drawn for unclicked rows (default 0)
 * @param logLossEpsilon the clamp of log loss, in (0, 0.5) (default 1e-7)
 * @param spaces the spaces to compute; those needing ground truth are left out when the data has
 *     none (default: all)
 * @param oneClass what AUC does in a space with one class (default NaN, so one degenerate space
 *     does not hide the others; the report shows the class counts beside it)
 */
public record EvaluationOptions(
        int k,
        int calibrationBins,
        Binning binning,
        long labelSeed,
        double logLossEpsilon,
        Set<EvaluationSpace> spaces,
        OneClassPolicy oneClass) {

    public static final ConfigKey<Integer> K =
            ConfigKey.ofInt("k", 10, 1, 1_000_000, "cut-off of Recall@K and NDCG@K per group");
    public static final ConfigKey<Integer> CALIBRATION_BINS =
            ConfigKey.ofInt("calibration-bins", 10, 1, 100_000, "bins of the calibration table");
    public static final ConfigKey<Binning> BINNING =
            ConfigKey.ofEnum(
                    "binning", Binning.class, Binning.EQUAL_MASS, "calibration bin boundaries");
    public static final ConfigKey<Long> LABEL_SEED =
            ConfigKey.ofLong(
                    "label-seed",
                    0,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    "seed of conversion labels drawn from true_cvr for unclicked rows");
    public static final ConfigKey<Double> LOG_LOSS_EPSILON =
            ConfigKey.ofDouble(
                    "log-loss-epsilon",
                    LogLoss.DEFAULT_EPSILON,
                    DoubleRange.open(0, 0.5),
                    "predictions are clamped to [eps, 1 - eps] in log loss");
    public static final ConfigKey<OneClassPolicy> ONE_CLASS =
            ConfigKey.ofEnum(
                    "one-class",
                    OneClassPolicy.class,
                    OneClassPolicy.NAN,
                    "AUC of a space with one class: error or nan");

    /** The keys of {@link #fromConfig(Config)}. Spaces are chosen in code or by the CLI. */
    public static final ConfigSchema SCHEMA =
            new ConfigSchema(
                    "evaluation",
                    List.of(K, CALIBRATION_BINS, BINNING, LABEL_SEED, LOG_LOSS_EPSILON, ONE_CLASS));

    public EvaluationOptions {
        if (k < 1) {
            throw ConfigException.outOfRange(K.name(), k, K.allowed());
        }
        if (calibrationBins < 1) {
            throw ConfigException.outOfRange(
                    CALIBRATION_BINS.name(), calibrationBins, CALIBRATION_BINS.allowed());
        }
        if (!(logLossEpsilon > 0 && logLossEpsilon < 0.5)) {
            throw ConfigException.outOfRange(
                    LOG_LOSS_EPSILON.name(), logLossEpsilon, LOG_LOSS_EPSILON.allowed());
        }
        if (spaces.isEmpty()) {
            throw new ConfigException("Evaluation needs at least one space");
        }
        spaces = Set.copyOf(EnumSet.copyOf(spaces));
        if (binning == null || oneClass == null) {
            throw new ConfigException("Evaluation options need a binning and a one-class policy");
        }
    }

    /** Every default. */
    public static EvaluationOptions defaults() {
        return fromConfig(SCHEMA.defaults());
    }

    /** Options from a resolved {@link #SCHEMA} configuration, with every space. */
    public static EvaluationOptions fromConfig(Config config) {
        return new EvaluationOptions(
                config.get(K),
                config.get(CALIBRATION_BINS),
                config.get(BINNING),
                config.get(LABEL_SEED),
                config.get(LOG_LOSS_EPSILON),
                EnumSet.allOf(EvaluationSpace.class),
                config.get(ONE_CLASS));
    }

    public EvaluationOptions withK(int value) {
        return new EvaluationOptions(
                value, calibrationBins, binning, labelSeed, logLossEpsilon, spaces, oneClass);
    }

    public EvaluationOptions withCalibration(int bins, Binning how) {
        return new EvaluationOptions(k, bins, how, labelSeed, logLossEpsilon, spaces, oneClass);
    }

    public EvaluationOptions withLabelSeed(long seed) {
        return new EvaluationOptions(
                k, calibrationBins, binning, seed, logLossEpsilon, spaces, oneClass);
    }

    public EvaluationOptions withSpaces(EvaluationSpace first, EvaluationSpace... rest) {
        return new EvaluationOptions(
                k,
                calibrationBins,
                binning,
                labelSeed,
                logLossEpsilon,
                EnumSet.of(first, rest),
                oneClass);
    }

    /** Spaces by label: {@code "cvr-clicked,ctcvr"}; unknown names fail with the known ones. */
    public EvaluationOptions withSpaces(String commaSeparated) {
        var chosen = new ArrayList<EvaluationSpace>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                chosen.add(EvaluationSpace.parse(part));
            }
        }
        if (chosen.isEmpty()) {
            throw new ConfigException("No evaluation space in '" + commaSeparated + "'");
        }
        return new EvaluationOptions(
                k,
                calibrationBins,
                binning,
                labelSeed,
                logLossEpsilon,
                EnumSet.copyOf(chosen),
                oneClass);
    }

    public EvaluationOptions withOneClass(OneClassPolicy policy) {
        return new EvaluationOptions(
                k, calibrationBins, binning, labelSeed, logLossEpsilon, spaces, policy);
    }
}
