/**
 * The exposure-log pipeline on Apache Spark: data preparation (vocabularies, the raw Ali-CCP join,
 * shards an exposure-log reader understands), scoring as a DataFrame transformation, exact
 * distributed evaluation with the definitions of cvr-metrics, and data-parallel training ({@link
 * org.causalcvr.spark.DataParallelTraining}, design in {@code TRAINING.md}).
 *
 * <p>This is the one module besides the application that wires concrete modules together
 * (cvr-data-arrow for shards, cvr-backend-djl through {@link org.causalcvr.api.plugin.CvrRuntime}
 * for models). Spark itself is a {@code provided} dependency: a cluster supplies its own.
 */
package org.causalcvr.spark;
