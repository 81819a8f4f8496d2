/**
 * Data-parallel training, backend-neutral: a {@link org.causalcvr.api.parallel.TrainingReplica}
 * runs steps of a training from a shared state and reports what it changed (a {@link
 * org.causalcvr.api.parallel.ReplicaUpdate}: every dense parameter, and only the embedding rows it
 * touched); a driver merges the workers' updates and hands the merged state back. A backend that
 * supports this implements {@link org.causalcvr.api.parallel.DataParallelBackend}. The cluster side
 * (rounds, merging, broadcast) is cvr-spark's.
 */
package org.causalcvr.api.parallel;
