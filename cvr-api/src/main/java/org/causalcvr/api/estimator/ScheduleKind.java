package org.causalcvr.api.estimator;

/** How an estimator's training steps are arranged. */
public enum ScheduleKind {
    /** One objective, every tower trained together on every batch (the multi-task estimators). */
    JOINT,
    /** A propensity model first, then frozen while the CVR model trains (Naive IPW). */
    TWO_STAGE,
    /** Steps that take turns batch by batch, each training some towers (Joint Learning DR). */
    ALTERNATING
}
