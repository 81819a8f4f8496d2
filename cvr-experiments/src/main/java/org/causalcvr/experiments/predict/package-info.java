/** A trained model's predictions for every row of a source, written atomically to a file. */
package org.causalcvr.experiments.predict;
