/** PNG line and bar charts for reports, drawn with XChart. */
package org.causalcvr.experiments.plot;
