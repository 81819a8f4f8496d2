/**
 * Training and scoring: the {@link org.causalcvr.api.backend.Backend} SPI that builds an
 * estimator's towers and trains them on its schedule, the {@link
 * org.causalcvr.api.backend.BackendFactory} that plugins bind, and the values that cross the
 * boundary ({@link org.causalcvr.api.backend.TrainingRequest}, {@link
 * org.causalcvr.api.backend.TrainedModel}, {@link org.causalcvr.api.backend.Predictions}, {@link
 * org.causalcvr.api.backend.Provenance}, progress and validation scores).
 *
 * <p>A backend owns native resources: close it, and the models it returns before it.
 */
package org.causalcvr.api.backend;
