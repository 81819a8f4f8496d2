package org.causalcvr.estimators.kit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.objective.InversePropensityObjective;
import org.causalcvr.estimators.objective.SumObjective;

/**
 * Multi-IPW's composition, shared by every IPW estimator built on it ({@code multi-ipw}, {@code
 * ips-v2}, {@code dcmt}): a ctr and a cvr tower (and any extra towers) on one shared embedding, the
 * co-trained propensity of the configuration, trained jointly on
 *
 * <pre>
 *   ctr (when propensity-supervision) + IPW (eq. 8) + extra parts
 * </pre>
 *
 * with every row of every batch. Keys read: the co-trained propensity keys ({@link
 * Compositions#cotrainedPropensityKeys}).
 */
public final class InversePropensityFamily {
    private InversePropensityFamily() {}

    /**
     * The estimator.
     *
     * @param extraTowers towers beyond ctr and cvr, each on the shared embedding and trained with
     *     the rest (DCMT's counterfactual CVR tower); usually none
     * @param extraParts given the propensity, the parts that come after the IPW term
     */
    public static Estimator build(
            String name,
            Config config,
            List<String> extraTowers,
            Function<Propensity, List<Objective>> extraParts) {
        Propensity propensity = Compositions.cotrainedPropensity(config);
        var parts = new ArrayList<Objective>();
        parts.add(
                new InversePropensityObjective(
                        propensity, config.get(EstimatorKeys.NORMALISATION)));
        parts.addAll(extraParts.apply(propensity));
        var objective = new SumObjective(name, Compositions.withClickThrough(config, parts));
        var towers = new LinkedHashSet<String>(List.of(TowerNames.CTR, TowerNames.CVR));
        towers.addAll(extraTowers);
        return new ComposedEstimator(
                name,
                config,
                towers.stream().<Tower>map(TowerSpec::shared).toList(),
                propensity,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective, towers),
                OptionalDouble.empty());
    }
}
