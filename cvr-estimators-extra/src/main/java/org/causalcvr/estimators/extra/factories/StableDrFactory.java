package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.Normalisation;

/**
 * {@code stable-dr}: StableDR (Haoxuan Li, Chunyuan Zheng and Peng Wu, "StableDR: Stabilized Doubly
 * Robust Learning for Recommendation on Data Missing Not at Random", ICLR 2023): Multi-DR's towers,
 * with the DR estimate stabilised and the three models updated cyclically.
 *
 * <p>StableDR estimates P by the mean of the imputed errors, (1/|D|) Σ_D ê, under the constraint
 * that the imputation leaves no inverse-propensity-weighted residual on the clicks, Σ_D o·(e −
 * ê)/p̂ = 0 (so the estimate is still DR's, and doubly robust). Here the constraint is met exactly
 * on every batch by shifting the imputation tower's ê by the one constant η that solves it, η = Σ_D
 * o·(e − ê)/p̂ / Σ_D o/p̂, which gives
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D (ê + η) = (1/|D|) Σ_D ê + Σ_D o·(e − ê)/clip(p̂) / Σ_D o/clip(p̂)
 *   imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)          (e, r̂, p̂ detached; + l2 on the tower)
 * </pre>
 *
 * The residual's weights (o/p̂)/Σ o/p̂ sum to 1, so |cvr − mean ê| is at most the largest |e − ê|
 * of a click, however small a propensity is: bias and variance stay bounded where DR's grow as 1/p̂
 * (the paper's stability argument). It is the library's DR objective with {@code
 * normalisation=self-normalised}: exact when ê = e, consistent (unbiased up to O(1/|D|)) when p̂ =
 * p.
 *
 * <p>Training ({@code cyclic-updates}, default true): prediction, imputation and propensity steps
 * take turns batch by batch (see {@link CyclicSchedule}), as the paper's cyclic learning updates
 * the three models in turn; false trains them jointly as Multi-DR does. Difference from the paper:
 * the paper fits the imputation model under the constraint; here the tower is fitted by Multi-DR's
 * imputation loss and the constraint is met by the closed-form shift η (an intercept of the
 * imputation model fitted per batch), which is what makes the estimate the self-normalised form.
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-dr} except {@code normalisation} (fixed
 * by the method), {@code undersample-rate} (λ, 1.5 as {@code multi-dr}), {@code imputation-l2},
 * {@code imputation-target}, {@code cyclic-updates}.
 */
public final class StableDrFactory extends ConfiguredEstimatorFactory {
    public StableDrFactory() {
        super(
                "stable-dr",
                "StableDR (Li, Zheng, Wu: Stabilized Doubly Robust Learning for Recommendation on"
                        + " Data MNAR, ICLR 2023): mean ê + Σo(e - ê)/p̂ / Σo/p̂, cyclic updates",
                Compositions.concat(
                        withoutNormalisation(Compositions.cotrainedPropensityKeys()),
                        Compositions.imputationKeys(EstimatorKeys.UNDERSAMPLE_RATE),
                        List.of(ExtraKeys.CYCLIC_UPDATES)));
    }

    @Override
    protected Estimator build(Config config) {
        boolean cyclic = config.get(ExtraKeys.CYCLIC_UPDATES);
        DoublyRobustFamily.CvrTerm selfNormalised =
                (propensity, imputation, c) ->
                        new DoublyRobustObjective(
                                propensity, imputation, Normalisation.SELF_NORMALISED);
        if (!cyclic) {
            return DoublyRobustFamily.build(
                    name(), config, DoublyRobustFamily.Variant.withCvrTerm(selfNormalised));
        }
        return DoublyRobustFamily.build(
                name(),
                config,
                new DoublyRobustFamily.Variant() {
                    @Override
                    public Objective cvrTerm(
                            Propensity propensity, Imputation imputation, Config c) {
                        return selfNormalised.of(propensity, imputation, c);
                    }

                    @Override
                    public TrainingSchedule schedule(
                            String name,
                            Config c,
                            List<Objective> prediction,
                            Objective imputationLoss) {
                        return CyclicSchedule.of(name, c, prediction, imputationLoss);
                    }
                });
    }

    /** The keys, but {@code normalisation}, which a method that fixes it must not accept. */
    static List<ConfigKey<?>> withoutNormalisation(List<ConfigKey<?>> keys) {
        return keys.stream().filter(k -> !k.equals(EstimatorKeys.NORMALISATION)).toList();
    }
}
