/**
 * The ten estimators of the paper as {@link org.causalcvr.api.estimator.EstimatorFactory}s, their
 * configuration keys ({@link org.causalcvr.estimators.paper.PaperKeys}), and the plugin that
 * registers them ({@link org.causalcvr.estimators.paper.PaperEstimatorsModule}).
 */
package org.causalcvr.estimators.paper;
