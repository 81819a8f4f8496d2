package org.causalcvr.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.data.ExposureSource;

/**
 * A {@link ValidationScore} for early stopping: one metric of one {@link EvaluationSpace}, computed
 * by an {@link Evaluator} over the whole validation source. Its name joins the two: {@code
 * cvr-clicked:auc}, {@code ctcvr:logloss}.
 */
public final class SpaceValidationScore implements ValidationScore {
    /** The metrics a validation score can follow. */
    public enum Metric {
        AUC(true),
        GAUC(true),
        LOGLOSS(false),
        ECE(false);

        private final boolean higherIsBetter;

        Metric(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EvaluationSpace space;
    private final Metric metric;
    private final EvaluationOptions options;

    public SpaceValidationScore(EvaluationSpace space, Metric metric, EvaluationOptions options) {
        this.space = space;
        this.metric = metric;
        this.options = options.withSpaces(space);
    }

    /** Parses {@code <space>:<metric>}, such as {@code cvr-clicked:auc}, with default options. */
    public static SpaceValidationScore parse(String text) {
        int colon = text.indexOf(':');
        String spaceText = colon < 0 ? text : text.substring(0, colon);
        String metricText = colon < 0 ? "auc" : text.substring(colon + 1).trim();
        EvaluationSpace space = EvaluationSpace.parse(spaceText);
        Metric metric =
                Arrays.stream(Metric.values())
                        .filter(m -> m.label().equalsIgnoreCase(metricText))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new UnknownNameException(
                                                "validation metric",
                                                metricText,
                                                Arrays.stream(Metric.values())
                                                        .map(Metric::label)
                                                        .toList()));
        return new SpaceValidationScore(space, metric, EvaluationOptions.defaults());
    }

    @Override
    public String name() {
        return space.label() + ":" + metric.label();
    }

    @Override
    public boolean higherIsBetter() {
        return metric.higherIsBetter;
    }

    /**
     * The metric of {@code model} on {@code data}; NaN where it is undefined (one class, no groups,
     * no ground truth for a ground-truth space).
     */
    @Override
    public double score(TrainedModel model, ExposureSource data) {
        EvaluationReport report = Evaluator.evaluate(model, data, options);
        return report.space(space)
                .map(
                        s ->
                                switch (metric) {
                                    case AUC -> s.auc();
                                    case GAUC ->
                                            s.groups().map(GroupReport::gauc).orElse(Double.NaN);
                                    case LOGLOSS -> s.logLoss();
                                    case ECE -> s.ece();
                                })
                .orElse(Double.NaN);
    }
}
