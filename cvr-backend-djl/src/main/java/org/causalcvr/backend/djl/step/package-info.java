/**
 * One optimisation step of the DJL backend: the forward pass on the rows each tower is needed on
 * (the clicked-row planner), the loss through {@link org.causalcvr.backend.djl.step.NDArrayOps},
 * the guard against non-finite losses, the backward pass and Adam. Internal to the backend.
 */
package org.causalcvr.backend.djl.step;
