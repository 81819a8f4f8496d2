package org.causalcvr.estimators.extra;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.paper.PaperKeys;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.OraclePropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/**
 * The composition rules of the paper's factories, for this module. {@code
 * org.causalcvr.estimators.paper.Compositions} is package-private, so this is the smallest adapter
 * that applies the same rules to the public keys of {@link PaperKeys}: the same key lists, the same
 * propensity and clipping, the same check that an unsupervised CTR tower is still trained.
 */
final class Compositions {
    private Compositions() {}

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

    /**
     * The keys of a DR estimator's imputation tower and its batches, with λ ({@code
     * undersample-rate}) defaulting as {@code rate} does.
     */
    static List<ConfigKey<?>> imputationKeys(ConfigKey<Double> rate) {
        return List.of(rate, PaperKeys.IMPUTATION_L2, PaperKeys.IMPUTATION_TARGET);
    }

    @SafeVarargs
    static List<ConfigKey<?>> concat(List<ConfigKey<?>>... lists) {
        var all = new ArrayList<ConfigKey<?>>();
        for (List<ConfigKey<?>> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    static PropensityClipping clipping(Config config) {
        return new PropensityClipping(
                config.get(PaperKeys.IPW_BOUND),
                config.get(PaperKeys.IPW_BOUND_PCT),
                config.get(PaperKeys.MAX_WEIGHT));
    }

    /** The co-trained propensity of the configuration (or the oracle), keys checked to agree. */
    static Propensity cotrainedPropensity(Config config) {
        return propensity(config, config.get(PaperKeys.PROPENSITY_GRADIENT));
    }

    /**
     * The same source and clipping with gradients flowing into p̂, whatever {@code
     * propensity-gradient} says: for terms whose purpose is to train the propensity (V2's
     * balancing).
     */
    static Propensity attachedPropensity(Config config) {
        return propensity(config, PropensityGradient.ATTACHED);
    }

    private static Propensity propensity(Config config, PropensityGradient gradient) {
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

    /** The non-click propensity 1 − p̂ matching {@code propensity}, with the same clipping. */
    static NonClickPropensity nonClick(Config config, Propensity propensity) {
        boolean detached = !(propensity instanceof CtrTowerPropensity c) || c.detached();
        return config.get(PaperKeys.PROPENSITY) == PropensitySource.ORACLE
                ? NonClickPropensity.oracle(clipping(config))
                : NonClickPropensity.ctrTower(detached, clipping(config));
    }

    /** The CTR task first, when the configuration supervises the propensity, then {@code rest}. */
    static List<Objective> withClickThrough(Config config, List<? extends Objective> rest) {
        var parts = new ArrayList<Objective>();
        if (config.get(PaperKeys.PROPENSITY_SUPERVISION)) {
            parts.add(new ClickThroughObjective());
        }
        parts.addAll(rest);
        return parts;
    }

    /**
     * λ as the estimator reports it: empty for Infinity (every row kept). Config reads a key by
     * name, so this serves both defaults of {@code undersample-rate}.
     */
    static OptionalDouble samplingRate(Config config) {
        double rate = config.get(ExtraKeys.UNDERSAMPLE_RATE);
        return Double.isInfinite(rate) ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }
}
