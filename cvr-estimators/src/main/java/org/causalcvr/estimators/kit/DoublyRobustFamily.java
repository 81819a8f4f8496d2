package org.causalcvr.estimators.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.ImputationLossObjective;
import org.causalcvr.estimators.objective.ScaledObjective;
import org.causalcvr.estimators.objective.SumObjective;

/**
 * Multi-DR's composition, shared by every DR estimator built on it ({@code multi-dr}, {@code mrdr},
 * {@code dr-bias}, {@code dr-mse}, {@code dr-v2}, {@code escm2-dr}, and through a {@link Variant}
 * {@code stable-dr}, {@code tdr-cl}, {@code d-dr}): three towers on one shared embedding (ctr, cvr,
 * imputation), the co-trained propensity of the configuration, ê from the imputation tower, trained
 * jointly on
 *
 * <pre>
 *   ctr (when propensity-supervision) + w_cvr · DR + extra parts + imputation loss
 * </pre>
 *
 * where the imputation loss has the estimator's {@link ImputationWeighting}. The {@code cvr} term
 * is reported unweighted, so it stays the DR estimate of P whatever w_cvr is.
 *
 * <p>Keys read: the co-trained propensity keys ({@link Compositions#cotrainedPropensityKeys}) and
 * the imputation keys ({@link Compositions#imputationKeys}).
 */
public final class DoublyRobustFamily {
    private DoublyRobustFamily() {}

    /**
     * What a DR estimator built here changes in Multi-DR's composition. Every method defaults to
     * Multi-DR's own choice, so an estimator overrides only what its paper changes (StableDR its
     * normalisation and schedule, TDR-CL its ê, D-DR its weights).
     */
    public interface Variant {
        /** Multi-DR itself. */
        Variant NONE = new Variant() {};

        /** Multi-DR with its CVR term replaced. */
        static Variant withCvrTerm(CvrTerm term) {
            return new Variant() {
                @Override
                public Objective cvrTerm(Propensity propensity, Imputation imputation, Config c) {
                    return term.of(propensity, imputation, c);
                }
            };
        }

        /**
         * The ê that the DR term and the imputation loss read, given the imputation tower's ê
         * ({@code tower}). Default: the tower's.
         */
        default Imputation imputation(Propensity propensity, Imputation tower) {
            return tower;
        }

        /**
         * The CVR term, reported as {@code cvr}. Default: the library's DR (eqs. 6, 10) with the
         * configured {@link EstimatorKeys#NORMALISATION}.
         */
        default Objective cvrTerm(Propensity propensity, Imputation imputation, Config config) {
            return new DoublyRobustObjective(
                    propensity, imputation, config.get(EstimatorKeys.NORMALISATION));
        }

        /**
         * The schedule of the parts. Default: one joint step of {@code ctr} (when {@code
         * propensity-supervision}), the prediction parts and the imputation loss, training every
         * tower together.
         *
         * @param prediction the CVR term (weighted) and the estimator's extra parts, in order
         * @param imputationLoss the imputation tower's loss
         */
        default TrainingSchedule schedule(
                String name, Config config, List<Objective> prediction, Objective imputationLoss) {
            var parts = new ArrayList<Objective>(prediction);
            parts.add(imputationLoss);
            return TrainingSchedule.joint(
                    new SumObjective(name, Compositions.withClickThrough(config, parts)),
                    Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION));
        }
    }

    /** A DR estimator's CVR term, given its propensity, its ê and its configuration. */
    @FunctionalInterface
    public interface CvrTerm {
        Objective of(Propensity propensity, Imputation imputation, Config config);
    }

    /**
     * The estimator with Multi-DR's weights (w_cvr = 1, imputation loss o·(e − ê)²/p̂, no extra
     * part) and the parts {@code variant} replaces.
     */
    public static Estimator build(String name, Config config, Variant variant) {
        return build(
                name, config, 1.0, ImputationWeighting.doublyRobust(), p -> List.of(), variant);
    }

    /**
     * The estimator.
     *
     * @param cvrWeight w_cvr &gt; 0, the DR term's weight in the total (1 for plain Multi-DR)
     * @param weighting the imputation loss's per-click weight
     * @param extraParts given the propensity, the parts that come after the DR term (none for plain
     *     Multi-DR)
     */
    public static Estimator build(
            String name,
            Config config,
            double cvrWeight,
            ImputationWeighting weighting,
            Function<Propensity, List<Objective>> extraParts) {
        return build(name, config, cvrWeight, weighting, extraParts, Variant.NONE);
    }

    /**
     * The estimator, with the parts {@code variant} replaces.
     *
     * @param cvrWeight w_cvr &gt; 0, the CVR term's weight in the total (1 for plain Multi-DR)
     * @param weighting the imputation loss's per-click weight
     * @param extraParts given the propensity, the parts that come after the CVR term
     * @param variant what the estimator changes in Multi-DR's composition
     */
    public static Estimator build(
            String name,
            Config config,
            double cvrWeight,
            ImputationWeighting weighting,
            Function<Propensity, List<Objective>> extraParts,
            Variant variant) {
        Propensity propensity = Compositions.cotrainedPropensity(config);
        Imputation tower =
                new ImputationTowerImputation(config.get(EstimatorKeys.IMPUTATION_TARGET));
        Imputation imputation = variant.imputation(propensity, tower);
        var prediction = new ArrayList<Objective>();
        Objective cvr = variant.cvrTerm(propensity, imputation, config);
        prediction.add(cvrWeight == 1.0 ? cvr : new ScaledObjective(cvr, cvrWeight));
        prediction.addAll(extraParts.apply(propensity));
        Objective imputationLoss = new ImputationLossObjective(propensity, imputation, weighting);
        return new ComposedEstimator(
                name,
                config,
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)
                                .withL2(config.get(EstimatorKeys.IMPUTATION_L2))),
                propensity,
                tower,
                variant.schedule(name, config, prediction, imputationLoss),
                Compositions.samplingRate(config));
    }
}
