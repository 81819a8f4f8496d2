/**
 * The paper's estimators as a causal-cvr plugin. Sub-packages: {@code kit} (the estimator kit:
 * shared keys, compositions, the Multi-IPW and Multi-DR families, row helpers), {@code objective}
 * (the losses, written once against {@link org.causalcvr.api.ops.Ops}), {@code propensity} (where
 * p̂ comes from and how it is clipped), {@code imputation} (where ê comes from), {@code paper} (the
 * ten factories and the Guice module that registers them). The test kit ({@code cvr-testkit})
 * evaluates any objective on plain {@code double[]} and runs the conformance checks.
 */
package org.causalcvr.estimators;
