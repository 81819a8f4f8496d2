/**
 * The DJL backend: the shared-embedding multi-task network of the paper on DJL's PyTorch engine.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * CvrRuntime runtime = CvrRuntime.load();                  // finds DjlBackendModule
 * Estimator multiDr = runtime.estimator("multi-dr").create(Map.of());
 * try (Backend backend = runtime.backend("djl").create(Map.of("preset", "paper-ali-ccp"));
 *      TrainedModel model = backend.train(TrainingRequest.of(multiDr, trainSource))) {
 *     model.save(Path.of("model"));                        // atomic directory
 *     Predictions p = model.predict(batch);                // pCTR, pCVR, pCTCVR
 *     model.score(testSource, Path.of("scores.csv"));
 * }
 * try (Backend backend = runtime.backend("djl").create(Map.of());
 *      TrainedModel again = backend.load(Path.of("model"))) { ... }
 * }</pre>
 *
 * <h2>The network and its updates</h2>
 *
 * Every categorical field owns {@code min(cardinality, hash-size)} rows of an embedding table
 * ({@link org.causalcvr.backend.djl.data.FieldLayout}); a row's embedding has {@code embedding-dim}
 * entries, multi-valued fields are pooled as {@code Σ w_j e_j / max(1, Σ w_j)}, and the fields'
 * embeddings are concatenated into each tower's input. Towers whose {@code embeddingGroup()} is
 * equal read one table; other groups get their own. Each tower is an MLP ending in one logit.
 *
 * <p>Dense (real-valued) fields of the schema, such as the processed Ali-CCP CSV's {@code D*}
 * columns, follow the embeddings in the towers' input, one column each, transformed as the {@code
 * dense-features} key says ({@link org.causalcvr.backend.djl.model.DenseTransform}: by default the
 * signed log {@code sign(x)·log(1+|x|)} standardised with the training data's mean and standard
 * deviation, computed in one pass before the first step). The transform and its statistics are
 * saved in {@code model.json} ({@code denseInput}), so prediction, evaluation and Spark scoring
 * apply exactly the training's; data to score whose dense fields differ is refused, naming the
 * field. A schema without dense fields (or {@code dense-features=off}) gives the network, and the
 * bytes, of before.
 *
 * <p>A step gathers the batch's unique table rows into one NDArray that records a gradient, runs
 * the towers of the step's objective (frozen towers detached), evaluates the estimator's objective
 * through {@link org.causalcvr.backend.djl.step.NDArrayOps}, back-propagates, and applies Adam to
 * the trainable towers and lazy Adam to just the gathered rows of the trainable towers' tables, so
 * a step's cost does not grow with the tables. Each step's arrays live in an {@code NDScope} and a
 * sub-manager closed at its end.
 *
 * <p>Work the loss does not need is skipped, with the same loss and gradients: each objective
 * declares per tower which rows it needs ({@link org.causalcvr.api.estimator.Objective#rowUse}),
 * and the {@link org.causalcvr.backend.djl.step.ClickedRowPlanner} runs a tower the loss reads only
 * on clicked rows on those rows alone (Multi-IPW's and Multi-DR's CVR tower) and back-propagates a
 * tower whose gradient vanishes on unclicked rows on the clicked rows only (Multi-DR's imputation
 * tower). Embedding rows take memory when first written, so a table of 1e8 rows costs only the rows
 * a run touches. Measurements: {@code PERFORMANCE.md}.
 *
 * <h2>Rooms</h2>
 *
 * <ul>
 *   <li>{@code train}: the schedule (stages, epochs, progress, validation, early stopping);
 *   <li>{@code step}: one optimisation step (forward, loss, NaN guard, backward, Adam) and the
 *       clicked-row planner;
 *   <li>{@code checkpoint}: model and checkpoint folders on disk, and resuming;
 *   <li>{@code model}: the network and its towers; {@code embedding}: the lazily materialised
 *       embedding tables with lazy Adam; {@code data}: batches from exposure sources.
 * </ul>
 *
 * The sub-packages are public only because Java has no sub-package access: they are the backend's
 * implementation, with no compatibility promise; use the classes of this package.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Offline: the native library comes from {@code pytorch-native-cpu} on the class path; {@code
 *       ai.djl.offline} and {@code OPT_OUT_TRACKING} are set before the engine starts.
 *   <li>Deterministic for a seed: initial parameters, shuffling and under-sampling derive from the
 *       {@code seed} key; the same seed, data, device and thread count give the same model.
 *   <li>Resumable: with a checkpoint directory, training writes {@code checkpoint/} atomically
 *       every {@code checkpoint-every} steps and at each epoch's end, and a later {@code train}
 *       with the same estimator, configuration and data resumes from it and ends with the same
 *       parameters as an uninterrupted run. A checkpoint of another estimator, estimator
 *       configuration, schema or network is refused, naming what differs.
 *   <li>A NaN or infinite loss term stops training before any parameter moves, with a one-line
 *       {@link org.causalcvr.api.CvrException} naming the estimator, the step and the term; the
 *       last checkpoint is left as it was.
 * </ul>
 */
package org.causalcvr.backend.djl;
