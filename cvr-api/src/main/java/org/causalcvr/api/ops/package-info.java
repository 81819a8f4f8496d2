/**
 * The small tensor algebra {@link org.causalcvr.api.ops.Ops} in which every objective is written
 * once: elementwise arithmetic, logarithms, sigmoid, clamps, reductions and {@code detach} (a
 * gradient stop). A backend implements it over its tensors with autograd; {@link
 * org.causalcvr.api.ops.DoubleOps} implements it on {@code double[]} for tests and for evaluating
 * an objective on plain numbers.
 */
package org.causalcvr.api.ops;
