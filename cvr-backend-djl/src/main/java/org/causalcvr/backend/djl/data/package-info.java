/**
 * Training and scoring batches of the DJL backend: field layout (ids to table rows), the shuffle
 * window and the prefetching batch pipeline. Internal to the backend.
 */
package org.causalcvr.backend.djl.data;
