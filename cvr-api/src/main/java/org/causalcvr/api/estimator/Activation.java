package org.causalcvr.api.estimator;

/** The nonlinearity between a tower's hidden layers. */
public enum Activation {
    RELU,
    /** Parametric ReLU with a learned slope per unit, as in the official ESMM code. */
    PRELU,
    TANH,
    SIGMOID
}
