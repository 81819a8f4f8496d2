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

/**
 * The pieces the paper's factories share, public for plugins that compose estimators the same way
 * (cvr-estimators-extra): key lists, the clipping and the propensity they configure, the CTR task,
 * and λ.
 */
public final class Compositions {
    private Compositions() {}

    /** The keys of every estimator that weights by 1/p̂ of a separately trained, frozen model. */
    public static List<ConfigKey<?>> frozenPropensityKeys() {
        return List.of(
                PaperKeys.PROPENSITY,
                PaperKeys.NORMALISATION,
                PaperKeys.IPW_BOUND,
                PaperKeys.IPW_BOUND_PCT,
                PaperKeys.MAX_WEIGHT);
    }

    /** The keys of every estimator that weights by 1/p̂ of a co-trained CTR tower. */
    public static List<ConfigKey<?>> cotrainedPropensityKeys() {
        return List.of(
                PaperKeys.PROPENSITY,
                PaperKeys.PROPENSITY_SUPERVISION,
                PaperKeys.PROPENSITY_GRADIENT,
                PaperKeys.NORMALISATION,
                PaperKeys.IPW_BOUND,
                PaperKeys.IPW_BOUND_PCT,
                PaperKeys.MAX_WEIGHT);
    }

    public static List<ConfigKey<?>> concat(List<ConfigKey<?>> first, List<ConfigKey<?>> second) {
        var all = new ArrayList<ConfigKey<?>>(first);
        all.addAll(second);
        return all;
    }

    public static PropensityClipping clipping(Config config) {
        return new PropensityClipping(
                config.get(PaperKeys.IPW_BOUND),
                config.get(PaperKeys.IPW_BOUND_PCT),
                config.get(PaperKeys.MAX_WEIGHT));
    }

    /** The propensity of a frozen, separately trained CTR model (or the oracle). */
    public static Propensity frozenPropensity(Config config) {
        return config.get(PaperKeys.PROPENSITY) == PropensitySource.ORACLE
                ? new OraclePropensity(clipping(config))
                : new CtrTowerPropensity(true, clipping(config));
    }

    /** The propensity of a co-trained CTR tower (or the oracle), checking the keys agree. */
    public static Propensity cotrainedPropensity(Config config) {
        return cotrainedPropensity(config, config.get(PaperKeys.PROPENSITY_GRADIENT));
    }

    /**
     * The same source and clipping with gradients into p̂ as {@code gradient} says, whatever {@code
     * propensity-gradient} is (for terms whose purpose is to train the propensity); the keys are
     * checked to agree as they are configured.
     */
    public static Propensity cotrainedPropensity(Config config, PropensityGradient gradient) {
        boolean supervised = config.get(PaperKeys.PROPENSITY_SUPERVISION);
        PropensityGradient configured = config.get(PaperKeys.PROPENSITY_GRADIENT);
        PropensitySource source = config.get(PaperKeys.PROPENSITY);
        if (!supervised
                && (configured == PropensityGradient.DETACHED
                        || source == PropensitySource.ORACLE)) {
            throw new ConfigException(
                    "Config key 'propensity-supervision' = false leaves the ctr tower untrained"
                            + " with propensity="
                            + ConfigKey.enumText(source)
                            + " and propensity-gradient="
                            + ConfigKey.enumText(configured)
                            + "; allowed only with propensity=ctr-tower and"
                            + " propensity-gradient=attached");
        }
        return source == PropensitySource.ORACLE
                ? new OraclePropensity(clipping(config))
                : new CtrTowerPropensity(gradient == PropensityGradient.DETACHED, clipping(config));
    }

    /** The CTR task first, when the configuration supervises the propensity, then {@code rest}. */
    public static List<Objective> withClickThrough(Config config, List<? extends Objective> rest) {
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
    public static OptionalDouble samplingRate(Config config) {
        double rate = config.get(PaperKeys.UNDERSAMPLE_RATE);
        return Double.isInfinite(rate) ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }
}
