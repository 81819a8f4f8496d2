/**
 * The test kit for estimators, built-in or third-party: add {@code org.causalcvr:cvr-testkit} in
 * test scope (it brings JUnit 5, AssertJ, jqwik and Commons Math) and extend {@link
 * org.causalcvr.testkit.EstimatorConformanceTest}.
 *
 * <p>Also here: {@link org.causalcvr.testkit.RowUseCheck} (probes an objective's row-use
 * declarations), {@link org.causalcvr.testkit.DualOps} (forward-mode derivatives on {@code
 * double[]}, for gradient-flow tests), {@link org.causalcvr.testkit.ObjectiveValues} (objectives
 * evaluated on {@code double[]}), {@link org.causalcvr.testkit.TestWorld} (a small world with known
 * propensities, labels and prediction inaccuracy) and {@link org.causalcvr.testkit.MonteCarlo}
 * (t-test decisions with stated error rates).
 *
 * <p>The kit depends on {@code cvr-api} only, so the estimator modules' own tests use it too.
 */
package org.causalcvr.testkit;
