/**
 * Benchmark harnesses, kept out of the library jars: {@code metrics} (exact AUC, the evaluator),
 * {@code data} (the generator and a scan against a raw read), {@code train} (training throughput of
 * any backend through the SPI). {@code cvr bench} runs the scan and training benchmarks; the others
 * are programs with a {@code main}.
 */
package org.causalcvr.bench;
