package org.causalcvr.estimators.paper;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;

/**
 * {@code esmm-ns}: ESMM without shared embeddings (the "-NS" variant of Ma et al.): the same loss,
 *
 * <pre>
 *   E^ESMM = (1/|D|) Σ_D [ CE(o, p̂) + CE(o·r, p̂·r̂) ]      (terms ctr, ctcvr; eq. 3)
 * </pre>
 *
 * but the CTR and CVR towers each have an embedding table of their own (groups {@code ctr} and
 * {@code cvr}), so the CVR tower learns only through the CTCVR product. No configuration keys.
 */
public final class EsmmNsFactory extends ConfiguredEstimatorFactory {
    public EsmmNsFactory() {
        super(
                "esmm-ns",
                "ESMM-NS: ESMM's loss (eq. 3) without shared embeddings; biased (figure 2)",
                List.of());
    }

    @Override
    protected Estimator build(Config config) {
        return EsmmFactory.esmm(
                name(),
                config,
                TowerSpec.separate(TowerNames.CTR),
                TowerSpec.separate(TowerNames.CVR));
    }
}
