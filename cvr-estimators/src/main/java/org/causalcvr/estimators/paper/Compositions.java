package org.causalcvr.estimators.paper;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.OraclePropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/** The pieces the paper's factories share: key lists and the propensity they configure. */
final class Compositions {
    private Compositions() {}

    /** The keys of every estimator that weights by 1/p̂ of a separately trained, frozen model. */
    static List<ConfigKey<?>> frozenPropensityKeys() {
        return List.of(
                PaperKeys.PROPENSITY,
                PaperKeys.NORMALISATION,
                PaperKeys.IPW_BOUND,
                PaperKeys.IPW_BOUND_PCT,
                PaperKeys.MAX_WEIGHT);
    }

    /** The keys of every estimator that weights by 1/p̂ of a co-trained CTR tower. */
    static List<ConfigKey<?>> cotrainedPropensityKeys() {
        return List.of(
                PaperKeys.PROPENSITY,
                PaperKeys.PROPENSITY_SUPERVISION,
                PaperKeys.PROPENSITY_GRADIENT,
                PaperKeys.NORMALISATION,
                PaperKeys.IPW_BOUND,
                PaperKeys.IPW_BOUND_PCT,
                PaperKeys.MAX_WEIGHT);
    }

    static List<ConfigKey<?>> concat(List<ConfigKey<?>> first, List<ConfigKey<?>> second) {
        var all = new ArrayList<ConfigKey<?>>(first);
        all.addAll(second);
        return all;
    }

    static PropensityClipping clipping(Config config) {
        return new PropensityClipping(
                config.get(PaperKeys.IPW_BOUND),
                config.get(PaperKeys.IPW_BOUND_PCT),
                config.get(PaperKeys.MAX_WEIGHT));
    }

    /** The propensity of a frozen, separately trained CTR model (or the oracle). */
    static Propensity frozenPropensity(Config config) {
        return config.get(PaperKeys.PROPENSITY) == PropensitySource.ORACLE
                ? new OraclePropensity(clipping(config))
                : new CtrTowerPropensity(true, clipping(config));
    }

    /** The propensity of a co-trained CTR tower (or the oracle), checking the keys agree. */
    static Propensity cotrainedPropensity(Config config) {
        boolean supervised = config.get(PaperKeys.PROPENSITY_SUPERVISION);
        PropensityGradient gradient = config.get(PaperKeys.PROPENSITY_GRADIENT);
        PropensitySource source = config.get(PaperKeys.PROPENSITY);
        if (!supervised
                && (gradient == PropensityGradient.DETACHED || source == PropensitySource.ORACLE)) {
            throw new ConfigException(
                    "Config key 'propensity-supervision' = false leaves the ctr tower untrained"
                            + " with propensity="
                            + ConfigKey.enumText(source)
                            + " and propensity-gradient="
                            + ConfigKey.enumText(gradient)
                            + "; allowed only with propensity=ctr-tower and"
                            + " propensity-gradient=attached");
        }
        return source == PropensitySource.ORACLE
                ? new OraclePropensity(clipping(config))
                : new CtrTowerPropensity(gradient == PropensityGradient.DETACHED, clipping(config));
    }

    /** The CTR task first, when the configuration supervises the propensity, then {@code rest}. */
    static List<Objective> withClickThrough(Config config, List<Objective> rest) {
        var parts = new ArrayList<Objective>();
        if (config.get(PaperKeys.PROPENSITY_SUPERVISION)) {
            parts.add(new ClickThroughObjective());
        }
        parts.addAll(rest);
        return parts;
    }

    /**
     * λ as the estimator reports it: empty for Infinity (every row kept). Config reads a key by
     * name, so this serves every default of {@link PaperKeys#undersampleRate}.
     */
    static OptionalDouble samplingRate(Config config) {
        double rate = config.get(PaperKeys.UNDERSAMPLE_RATE);
        return Double.isInfinite(rate) ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }
}
