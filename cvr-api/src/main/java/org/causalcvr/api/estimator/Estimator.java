package org.causalcvr.api.estimator;

import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.config.Config;

/**
 * A named CVR estimator: towers, a propensity, an imputation, objectives and a schedule. Created by
 * an {@link EstimatorFactory} from a validated {@link Config}; immutable and free of native
 * resources, so it can be shared and inspected.
 *
 * <p>A backend builds the estimator's towers, then runs its {@link #schedule()}; at prediction time
 * the {@link TowerNames#CTR} tower gives pCTR, the {@link TowerNames#CVR} tower gives pCVR, and
 * pCTCVR = pCTR · pCVR.
 */
public interface Estimator {
    /** The registered name, such as {@code multi-dr}. */
    String name();

    /** The resolved configuration it was created from (provenance). */
    Config config();

    /** The towers to build; must include {@link TowerNames#CVR}. */
    List<Tower> towers();

    /** The propensity p̂ used in inverse-propensity weights ({@code constant} if none). */
    Propensity propensity();

    /** The imputed error ê of DR estimators ({@code none} otherwise). */
    Imputation imputation();

    /** What to optimise, in which order. */
    TrainingSchedule schedule();

    /**
     * λ: the number of unclicked rows kept per clicked row in each training batch (the paper's
     * under-sampling for Multi-DR); empty to train on every row.
     */
    OptionalDouble unclickedSamplingRate();

    /** The tower with the given name. */
    default Tower tower(String name) {
        return towers().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new org.causalcvr.api.UnknownNameException(
                                        "tower of estimator " + name(),
                                        name,
                                        towers().stream().map(Tower::name).toList()));
    }
}
