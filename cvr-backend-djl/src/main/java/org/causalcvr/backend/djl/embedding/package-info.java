/**
 * Embedding tables of the DJL backend, materialised row by row on first write and updated with lazy
 * Adam. Internal to the backend.
 */
package org.causalcvr.backend.djl.embedding;
