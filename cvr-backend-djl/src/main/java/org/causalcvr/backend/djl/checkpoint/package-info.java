/**
 * Model and checkpoint folders of the DJL backend ({@code model.json} and {@code params.bin}),
 * written atomically, and resuming a run from a checkpoint. Internal to the backend.
 */
package org.causalcvr.backend.djl.checkpoint;
