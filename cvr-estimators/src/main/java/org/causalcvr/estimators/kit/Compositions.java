package org.causalcvr.estimators.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.propensity.ColumnPropensity;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.OraclePropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/**
 * The pieces every factory of this kit shares, the paper's ({@code cvr-estimators}), the later ones
 * ({@code cvr-estimators-extra}) and third parties' alike: key lists, the clipping and the
 * propensity they configure, the CTR task, and λ. The keys are {@link EstimatorKeys}; whole
 * estimator families are {@link InversePropensityFamily} and {@link DoublyRobustFamily}.
 */
public final class Compositions {
    private Compositions() {}

    /** The keys of every estimator that weights by 1/p̂ of a separately trained, frozen model. */
    public static List<ConfigKey<?>> frozenPropensityKeys() {
        return List.of(
                EstimatorKeys.PROPENSITY,
                EstimatorKeys.NORMALISATION,
                EstimatorKeys.IPW_BOUND,
                EstimatorKeys.IPW_BOUND_PCT,
                EstimatorKeys.MAX_WEIGHT);
    }

    /** The keys of every estimator that weights by 1/p̂ of a co-trained CTR tower. */
    public static List<ConfigKey<?>> cotrainedPropensityKeys() {
        return List.of(
                EstimatorKeys.PROPENSITY,
                EstimatorKeys.PROPENSITY_SUPERVISION,
                EstimatorKeys.PROPENSITY_GRADIENT,
                EstimatorKeys.NORMALISATION,
                EstimatorKeys.IPW_BOUND,
                EstimatorKeys.IPW_BOUND_PCT,
                EstimatorKeys.MAX_WEIGHT);
    }

    /**
     * The keys of a DR estimator's imputation tower and its batches, with λ ({@code
     * undersample-rate}) defaulting as {@code rate} does.
     */
    public static List<ConfigKey<?>> imputationKeys(ConfigKey<Double> rate) {
        return List.of(rate, EstimatorKeys.IMPUTATION_L2, EstimatorKeys.IMPUTATION_TARGET);
    }

    /** The lists one after the other, in order. */
    @SafeVarargs
    public static List<ConfigKey<?>> concat(List<ConfigKey<?>>... lists) {
        var all = new ArrayList<ConfigKey<?>>();
        for (List<ConfigKey<?>> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    public static PropensityClipping clipping(Config config) {
        return new PropensityClipping(
                config.get(EstimatorKeys.IPW_BOUND),
                config.get(EstimatorKeys.IPW_BOUND_PCT),
                config.get(EstimatorKeys.MAX_WEIGHT));
    }

    /** The propensity of a frozen, separately trained CTR model (or the oracle, or the data's). */
    public static Propensity frozenPropensity(Config config) {
        return switch (config.get(EstimatorKeys.PROPENSITY)) {
            case ORACLE -> new OraclePropensity(clipping(config));
            case COLUMN -> new ColumnPropensity(clipping(config));
            case CTR_TOWER -> new CtrTowerPropensity(PropensityGradient.DETACHED, clipping(config));
        };
    }

    /** The propensity of a co-trained CTR tower (or the oracle), checking the keys agree. */
    public static Propensity cotrainedPropensity(Config config) {
        return cotrainedPropensity(config, config.get(EstimatorKeys.PROPENSITY_GRADIENT));
    }

    /**
     * The same source and clipping with gradients into p̂ as {@code gradient} says, whatever {@code
     * propensity-gradient} is (for terms whose purpose is to train the propensity); the keys are
     * checked to agree as they are configured.
     */
    public static Propensity cotrainedPropensity(Config config, PropensityGradient gradient) {
        boolean supervised = config.get(EstimatorKeys.PROPENSITY_SUPERVISION);
        PropensityGradient configured = config.get(EstimatorKeys.PROPENSITY_GRADIENT);
        PropensitySource source = config.get(EstimatorKeys.PROPENSITY);
        if (!supervised
                && (configured == PropensityGradient.DETACHED
                        || source != PropensitySource.CTR_TOWER)) {
            throw new ConfigException(
                    "Config key 'propensity-supervision' = false leaves the ctr tower untrained"
                            + " with propensity="
                            + ConfigKey.enumText(source)
                            + " and propensity-gradient="
                            + ConfigKey.enumText(configured)
                            + "; allowed only with propensity=ctr-tower and"
                            + " propensity-gradient=attached");
        }
        return switch (source) {
            case ORACLE -> new OraclePropensity(clipping(config));
            case COLUMN -> new ColumnPropensity(clipping(config));
            case CTR_TOWER -> new CtrTowerPropensity(gradient, clipping(config));
        };
    }

    /**
     * The same source and clipping with gradients flowing into p̂, whatever {@code
     * propensity-gradient} says: for terms whose purpose is to train the propensity (the balancing
     * term of IPS-V2 and DR-V2).
     */
    public static Propensity attachedPropensity(Config config) {
        return cotrainedPropensity(config, PropensityGradient.ATTACHED);
    }

    /** The CTR task first, when the configuration supervises the propensity, then {@code rest}. */
    public static List<Objective> withClickThrough(Config config, List<? extends Objective> rest) {
        var parts = new ArrayList<Objective>();
        if (config.get(EstimatorKeys.PROPENSITY_SUPERVISION)) {
            parts.add(new ClickThroughObjective());
        }
        parts.addAll(rest);
        return parts;
    }

    /**
     * λ as the estimator reports it: empty for Infinity (every row kept). Config reads a key by
     * name, so this serves every default of {@link EstimatorKeys#undersampleRate}.
     */
    public static OptionalDouble samplingRate(Config config) {
        double rate = config.get(EstimatorKeys.UNDERSAMPLE_RATE);
        return Double.isInfinite(rate) ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }
}
