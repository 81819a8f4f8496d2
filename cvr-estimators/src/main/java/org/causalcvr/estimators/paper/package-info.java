/**
 * The ten estimators of the paper as {@link org.causalcvr.api.estimator.EstimatorFactory}s, their
 * configuration keys ({@link org.causalcvr.estimators.kit.EstimatorKeys}), and the plugin that
 * registers them ({@link org.causalcvr.estimators.paper.PaperEstimatorsModule}).
 */
package org.causalcvr.estimators.paper;
