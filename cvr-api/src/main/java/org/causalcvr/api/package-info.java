/**
 * The causal-cvr contract: everything a plugin author or a library user programs against.
 *
 * <p>Sub-packages: {@code data} (the exposure schema and columnar batch views), {@code ops} (the
 * tensor algebra in which every objective is written once), {@code config} (strict, validated
 * configuration), {@code estimator} (the Tower, Propensity, Imputation, Objective and Estimator
 * SPIs), {@code backend} (training and scoring), {@code plugin} (discovery through {@link
 * java.util.ServiceLoader} and Guice).
 *
 * <p>This module depends on Guice only; the build fails if it grows an Arrow, DJL or Commons Math
 * dependency.
 */
package org.causalcvr.api;
