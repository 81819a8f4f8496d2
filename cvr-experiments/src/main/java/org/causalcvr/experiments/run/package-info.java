/**
 * Training arms over seeds and evaluating each model: {@link
 * org.causalcvr.experiments.run.ExperimentRunner}, what one run yields ({@link
 * org.causalcvr.experiments.run.Run} with the model's provenance) and how runs are observed.
 */
package org.causalcvr.experiments.run;
