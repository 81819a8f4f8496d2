/** Hyperparameter search on validation data: random search with successive halving. */
package org.causalcvr.experiments.tune;
