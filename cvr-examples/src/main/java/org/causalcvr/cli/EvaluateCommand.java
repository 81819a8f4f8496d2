package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.run.ModelEvaluation;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.MetricValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr evaluate}: every metric of a saved model on a file, each in its named space. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate a saved model on an Arrow exposure log: AUC, GAUC, LogLoss, Recall@K, NDCG@K, calibration and bias, each in its named evaluation space.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model saved by 'cvr train'.")
    Path model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Data to evaluate on (Arrow IPC).")
    Path data;

    @Option(
            names = "--space",
            paramLabel = "SPACE",
            description =
                    "clicked, exposure, unclicked, ctcvr, ctr, or an exact space name such as cvr-exposure-true (repeatable; default: every space the data allows).")
    List<String> spaces;

    @Option(
            names = "--k",
            defaultValue = "10",
            description = "K of Recall@K and NDCG@K (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--label-seed",
            defaultValue = "0",
            description =
                    "Seed of the labels drawn from true_cvr for unclicked rows (default: ${DEFAULT-VALUE}).")
    long labelSeed;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            defaultValue = BackendOptions.DEFAULT_BACKEND,
            description = "The backend that saved the model (default: ${DEFAULT-VALUE}).")
    String backend;

    @Override
    public Integer call() {
        EvaluationOptions options = EvaluationOptions.defaults().withK(k).withLabelSeed(labelSeed);
        if (spaces != null && !spaces.isEmpty()) {
            var selected = new ArrayList<String>();
            for (String s : spaces) {
                selected.addAll(expand(s));
            }
            options = options.withSpaces(String.join(",", selected));
        }
        CvrRuntime runtime = Cvr.runtime(spec);
        try (Allocators memory = Allocators.create();
                Backend backend = runtime.backend(this.backend).create(Map.of());
                TrainedModel trained = backend.load(model)) {
            var source = DataFiles.open(data, memory);
            SplitWarnings.forModel(trained.provenance(), source, data, spec.commandLine().getErr());
            EvaluationReport report = ModelEvaluation.of(trained, source, options, false).report();
            var out = spec.commandLine().getOut();
            if (json) {
                var root = new LinkedHashMap<String, Object>();
                root.put("model", model.toString());
                root.put("data", data.toString());
                root.put("estimator", trained.provenance().estimator());
                root.put("rows", report.rows());
                var metrics = new ArrayList<Map<String, Object>>();
                for (MetricValue v : report.values()) {
                    metrics.add(
                            Map.of("space", v.space(), "metric", v.metric(), "value", v.value()));
                }
                root.put("metrics", metrics);
                report.predictionInaccuracy().ifPresent(p -> root.put("predictionInaccuracy", p));
                out.println(Json.write(root));
            } else {
                out.printf("%s (%s) on %s%n", model, trained.provenance().estimator(), data);
                out.print(report.toTable());
            }
            out.flush();
        }
        return 0;
    }

    /** Short names for the spaces of the issue: clicked, exposure, unclicked. */
    static List<String> expand(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "clicked" -> List.of(EvaluationSpace.CVR_CLICKED.label());
            case "exposure" ->
                    List.of(
                            EvaluationSpace.CVR_EXPOSURE.label(),
                            EvaluationSpace.CVR_EXPOSURE_TRUE.label());
            case "unclicked" ->
                    List.of(
                            EvaluationSpace.CVR_UNCLICKED.label(),
                            EvaluationSpace.CVR_UNCLICKED_TRUE.label());
            default -> List.of(EvaluationSpace.parse(name).label());
        };
    }
}
