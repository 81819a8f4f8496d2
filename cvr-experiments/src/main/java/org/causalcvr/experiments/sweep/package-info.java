/** One estimator over the values of one setting, and the plot of its metrics against them. */
package org.causalcvr.experiments.sweep;
