/** {@code key=value} settings, routed to the estimator or the backend that declares each key. */
package org.causalcvr.experiments.config;
