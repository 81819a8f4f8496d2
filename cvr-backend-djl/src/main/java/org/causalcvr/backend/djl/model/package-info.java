/**
 * The shared-embedding multi-task network of the DJL backend: towers (MLPs) over the concatenated
 * field embeddings. Internal to the backend.
 */
package org.causalcvr.backend.djl.model;
