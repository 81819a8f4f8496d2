package org.causalcvr.estimators.extra;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.paper.PaperKeys;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/**
 * The composition rules this module adds to the paper's ({@link
 * org.causalcvr.estimators.paper.Compositions}, which it delegates to): imputation keys with a λ
 * default of their own, the attached propensity of V2's balancing term, and DCMT's non-click
 * propensity 1 − p̂.
 */
final class Compositions {
    private Compositions() {}

    /** The keys of every estimator that weights by 1/p̂ of a co-trained CTR tower. */
    static List<ConfigKey<?>> cotrainedPropensityKeys() {
        return org.causalcvr.estimators.paper.Compositions.cotrainedPropensityKeys();
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
        return org.causalcvr.estimators.paper.Compositions.clipping(config);
    }

    /** The co-trained propensity of the configuration (or the oracle), keys checked to agree. */
    static Propensity cotrainedPropensity(Config config) {
        return org.causalcvr.estimators.paper.Compositions.cotrainedPropensity(config);
    }

    /**
     * The same source and clipping with gradients flowing into p̂, whatever {@code
     * propensity-gradient} says: for terms whose purpose is to train the propensity (V2's
     * balancing).
     */
    static Propensity attachedPropensity(Config config) {
        return org.causalcvr.estimators.paper.Compositions.cotrainedPropensity(
                config, PropensityGradient.ATTACHED);
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
        return org.causalcvr.estimators.paper.Compositions.withClickThrough(config, rest);
    }

    /** λ as the estimator reports it: empty for Infinity (every row kept). */
    static OptionalDouble samplingRate(Config config) {
        return org.causalcvr.estimators.paper.Compositions.samplingRate(config);
    }
}
