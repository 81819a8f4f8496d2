/**
 * The training loop of the DJL backend: the schedule of stages and epochs, progress reports,
 * validation and early stopping, and what a run hands back. Internal to the backend.
 */
package org.causalcvr.backend.djl.train;
