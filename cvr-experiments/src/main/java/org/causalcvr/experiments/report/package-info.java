/**
 * The comparison table over seeds, DeLong's tests and the atomic report folder (report.md,
 * report.json, PNG plots), with the text and Markdown tables and the JSON settings they use.
 */
package org.causalcvr.experiments.report;
