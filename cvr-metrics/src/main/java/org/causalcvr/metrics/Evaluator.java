package org.causalcvr.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FloatColumn;
import org.causalcvr.api.data.LongColumn;

/**
 * Computes every applicable metric in every applicable {@link EvaluationSpace} from a stream of
 * (batch, predictions) pairs, in one pass over the data.
 *
 * <pre>{@code
 * var evaluator = new Evaluator(EvaluationOptions.defaults());
 * try (BatchCursor cursor = source.open()) {
 *     while (cursor.next()) {
 *         evaluator.add(cursor.batch(), model.predict(cursor.batch()));
 *     }
 * }
 * System.out.print(evaluator.finish().toTable());
 * }</pre>
 *
 * or simply {@link #evaluate(TrainedModel, ExposureSource, EvaluationOptions)}.
 *
 * <p>{@link #add} copies what it needs (batches are ephemeral): per row pCTR and pCVR (4 bytes
 * each), the labels (1 byte), true_cvr (4 bytes, with ground truth) and a dense group id (4 bytes,
 * with groups): 9 to 17 bytes a row. {@link #finish()} then computes one space at a time, with
 * temporary arrays of up to about 40 bytes per row of that space (the sorts of AUC, GAUC and
 * equal-mass calibration). Measured: 10M rows with ground truth and groups, all seven spaces, run
 * in {@code -Xmx700m} ({@code EvaluatorBench} in cvr-bench). Every metric is global over all added
 * rows; nothing is averaged per batch. Not thread-safe.
 */
public final class Evaluator {
    private static final int CLICK = 1;
    private static final int CONVERSION = 2;
    private static final int DRAWN = 4;

    private final EvaluationOptions options;
    private float[] ctr = new float[1 << 12];
    private float[] cvr = new float[1 << 12];
    private byte[] flags = new byte[1 << 12];
    private float[] trueCvr;
    private int[] groups;
    private GroupIds groupIds;
    private int rows;
    private Boolean hasTruth;
    private Boolean hasGroups;
    private boolean finished;

    public Evaluator(EvaluationOptions options) {
        this.options = options;
    }

    /** Reserves room for {@code expectedRows} rows, avoiding copies as the arrays grow. */
    public Evaluator expectRows(long expectedRows) {
        if (expectedRows > ctr.length && expectedRows < Integer.MAX_VALUE - 8) {
            ensure((int) expectedRows);
        }
        return this;
    }

    /** The model's predictions on {@code source}, evaluated (opens and closes one cursor). */
    public static EvaluationReport evaluate(
            TrainedModel model, ExposureSource source, EvaluationOptions options) {
        var evaluator = new Evaluator(options);
        source.rowCount().ifPresent(evaluator::expectRows);
        try (BatchCursor cursor = source.open()) {
            while (cursor.next()) {
                ExposureBatch batch = cursor.batch();
                evaluator.add(batch, predict(model, batch, source));
            }
        }
        return evaluator.finish();
    }

    /**
     * The model's predictions for {@code batch}; a refusal (a schema that is not the model's) is
     * reported naming the data it came from.
     */
    public static Predictions predict(
            TrainedModel model, ExposureBatch batch, ExposureSource source) {
        try {
            return model.predict(batch);
        } catch (DataException e) {
            throw e;
        } catch (CvrException e) {
            throw new DataException(source.description() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds one batch and the model's predictions for its rows.
     *
     * @throws DataException if the sizes differ, a prediction is not a probability, or the batch
     *     lacks ground truth or groups that earlier batches had (naming the row)
     */
    public void add(ExposureBatch batch, Predictions predictions) {
        if (finished) {
            throw new IllegalStateException("Evaluator already finished");
        }
        int n = batch.size();
        if (predictions.size() != n) {
            throw new DataException(
                    "Batch at row "
                            + rows
                            + " has "
                            + n
                            + " rows but "
                            + predictions.size()
                            + " predictions");
        }
        Optional<FloatColumn> truth = batch.trueCvr();
        Optional<LongColumn> group = batch.groups();
        if (hasTruth == null) {
            hasTruth = truth.isPresent();
            hasGroups = group.isPresent();
            if (hasTruth) {
                trueCvr = new float[ctr.length];
            }
            if (hasGroups) {
                groups = new int[ctr.length];
                groupIds = new GroupIds();
            }
        } else if (hasTruth != truth.isPresent() || hasGroups != group.isPresent()) {
            throw new DataException(
                    "Batch at row "
                            + rows
                            + ": "
                            + (hasTruth != truth.isPresent() ? "true_cvr" : "group")
                            + " column is "
                            + (hasTruth != truth.isPresent() ? truth : group)
                                    .map(c -> "present")
                                    .orElse("missing")
                            + " but earlier batches "
                            + ((hasTruth != truth.isPresent() ? hasTruth : hasGroups)
                                    ? "had it"
                                    : "did not have it"));
        }
        if ((long) rows + n > Integer.MAX_VALUE - 8) {
            throw new DataException(
                    "Evaluator holds at most " + (Integer.MAX_VALUE - 8) + " rows; got more");
        }
        ensure(rows + n);
        float[] pCtr = predictions.ctr();
        float[] pCvr = predictions.cvr();
        var clicks = batch.clicks();
        var conversions = batch.conversions();
        for (int i = 0; i < n; i++) {
            int row = rows + i;
            checkProbability(pCtr[i], "pCTR", row);
            checkProbability(pCvr[i], "pCVR", row);
            int click = clicks.getInt(i);
            int conversion = conversions.getInt(i);
            if ((click & ~1) != 0 || (conversion & ~1) != 0 || conversion > click) {
                throw new DataException(
                        "Row "
                                + row
                                + ": click "
                                + click
                                + " and conversion "
                                + conversion
                                + " are not labels (0/1, conversion only with a click)");
            }
            int f = click * CLICK + conversion * CONVERSION;
            if (hasTruth) {
                float q = truth.get().getFloat(i);
                if (!(q >= 0f && q <= 1f)) {
                    throw new DataException(
                            "Column 'true_cvr', row " + row + ": " + q + " is outside [0, 1]");
                }
                trueCvr[row] = q;
                if (uniform(options.labelSeed(), row) < q) {
                    f |= DRAWN;
                }
            }
            if (hasGroups) {
                groups[row] = groupIds.dense(group.get().getLong(i));
            }
            ctr[row] = pCtr[i];
            cvr[row] = pCvr[i];
            flags[row] = (byte) f;
        }
        rows += n;
    }

    /** Rows added so far. */
    public long rows() {
        return rows;
    }

    /** Computes the report; the evaluator cannot be used afterwards. */
    public EvaluationReport finish() {
        finished = true;
        boolean truth = hasTruth != null && hasTruth;
        boolean grouped = hasGroups != null && hasGroups;
        var reports = new ArrayList<SpaceReport>();
        for (EvaluationSpace space : EvaluationSpace.values()) {
            if (options.spaces().contains(space) && (truth || !space.needsGroundTruth())) {
                reports.add(evaluate(space, grouped));
            }
        }
        return new EvaluationReport(rows, truth, grouped, options, reports);
    }

    /**
     * The rows of {@code space} as arrays, in the order they were added; available before and after
     * {@link #finish()}. Use it for ROC points, bootstrap intervals or DeLong's test.
     *
     * @throws UndefinedMetricException if the space needs ground truth the data lacks
     */
    public LabelledScores labelledScores(EvaluationSpace space) {
        if (space.needsGroundTruth() && trueCvr == null) {
            throw new UndefinedMetricException(
                    "Space " + space.label() + " needs true_cvr, which the data does not have");
        }
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (inSpace(space, flags[i])) {
                n++;
            }
        }
        float[] scores = new float[n];
        int[] labels = space.softLabels() ? null : new int[n];
        float[] soft = space.softLabels() ? new float[n] : null;
        for (int i = 0, j = 0; i < rows; i++) {
            int f = flags[i];
            if (inSpace(space, f)) {
                scores[j] = score(space, i);
                if (soft != null) {
                    soft[j] = trueCvr[i];
                } else {
                    labels[j] = label(space, f);
                }
                j++;
            }
        }
        return new LabelledScores(space, scores, labels, soft);
    }

    /**
     * DeLong's test of this evaluator's model against {@code other}'s in {@code space}: both must
     * have seen the same rows in the same order (the labels are compared) with the same label seed.
     * A positive {@link DeLongResult#difference()} means this model ranks better.
     *
     * @throws DataException if the two evaluators saw different rows or labels
     */
    public DeLongResult compareAuc(Evaluator other, EvaluationSpace space) {
        if (space.softLabels()) {
            throw new UndefinedMetricException(
                    "DeLong's test needs 0/1 labels; space " + space.label() + " has soft labels");
        }
        LabelledScores a = labelledScores(space);
        LabelledScores b = other.labelledScores(space);
        if (!Arrays.equals(a.labels(), b.labels())) {
            throw new DataException(
                    "Space "
                            + space.label()
                            + ": the two evaluations saw different rows or labels ("
                            + a.size()
                            + " and "
                            + b.size()
                            + " rows); evaluate both models on the same data and label seed");
        }
        return DeLong.compare(a.scores(), b.scores(), a.labels());
    }

    private SpaceReport evaluate(EvaluationSpace space, boolean grouped) {
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (inSpace(space, flags[i])) {
                n++;
            }
        }
        float[] scores = new float[n];
        int[] labels = space.softLabels() ? null : new int[n];
        float[] soft = space.softLabels() ? new float[n] : null;
        float[] truthInSpace = trueCvr != null && space.isCvr() ? new float[n] : null;
        int[] groupInSpace = grouped && !space.softLabels() ? new int[n] : null;
        double predictedSum = 0;
        double labelSum = 0;
        double truthSum = 0;
        for (int i = 0, j = 0; i < rows; i++) {
            int f = flags[i];
            if (!inSpace(space, f)) {
                continue;
            }
            float score = score(space, i);
            scores[j] = score;
            predictedSum += score;
            double y;
            if (soft != null) {
                soft[j] = trueCvr[i];
                y = trueCvr[i];
            } else {
                labels[j] = label(space, f);
                y = labels[j];
            }
            labelSum += y;
            if (truthInSpace != null) {
                truthInSpace[j] = trueCvr[i];
                truthSum += trueCvr[i];
            }
            if (groupInSpace != null) {
                groupInSpace[j] = groups[i];
            }
            j++;
        }
        String what = "space " + space.label();
        OptionalDouble bias =
                truthInSpace == null || n == 0
                        ? OptionalDouble.empty()
                        : OptionalDouble.of((predictedSum - truthSum) / n);
        if (n == 0) {
            if (options.oneClass() == OneClassPolicy.ERROR) {
                throw new UndefinedMetricException("No rows in " + what);
            }
            return new SpaceReport(
                    space,
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Optional.empty(),
                    Optional.empty(),
                    bias);
        }
        double auc;
        double logLoss;
        CalibrationTable calibration;
        Optional<GroupReport> groupReport = Optional.empty();
        if (soft != null) {
            auc = Auc.soft(scores, soft, options.oneClass(), what);
            logLoss = LogLoss.soft(scores, soft, options.logLossEpsilon());
            calibration =
                    Calibration.soft(scores, soft, options.calibrationBins(), options.binning());
        } else {
            auc = Auc.compute(scores, labels, options.oneClass(), what);
            logLoss = LogLoss.binary(scores, labels, options.logLossEpsilon());
            calibration =
                    Calibration.binary(
                            scores, labels, options.calibrationBins(), options.binning());
            if (groupInSpace != null) {
                groupReport =
                        Optional.of(
                                GroupMetrics.computeDense(
                                        groupInSpace,
                                        groupIds.size(),
                                        scores,
                                        labels,
                                        options.k(),
                                        what));
            }
        }
        return new SpaceReport(
                space,
                n,
                labelSum,
                auc,
                logLoss,
                predictedSum / n,
                labelSum / n,
                Optional.of(calibration),
                groupReport,
                bias);
    }

    private float score(EvaluationSpace space, int row) {
        return switch (space) {
            case CTR -> ctr[row];
            case CTCVR -> ctr[row] * cvr[row];
            default -> cvr[row];
        };
    }

    private static boolean inSpace(EvaluationSpace space, int f) {
        return switch (space) {
            case CVR_CLICKED -> (f & CLICK) != 0;
            case CVR_UNCLICKED, CVR_UNCLICKED_TRUE -> (f & CLICK) == 0;
            default -> true;
        };
    }

    private static int label(EvaluationSpace space, int f) {
        return switch (space) {
            case CTR -> f & CLICK;
            case CTCVR, CVR_CLICKED -> (f & CONVERSION) != 0 ? 1 : 0;
            case CVR_EXPOSURE, CVR_UNCLICKED ->
                    (f & CLICK) != 0 ? ((f & CONVERSION) != 0 ? 1 : 0) : ((f & DRAWN) != 0 ? 1 : 0);
            default -> throw new IllegalStateException(space + " has soft labels");
        };
    }

    /**
     * A uniform number in [0, 1) determined by the seed and the row alone (SplitMix64 of a
     * seed-mixed counter), so a row's drawn label does not depend on batch boundaries.
     */
    public static double uniform(long seed, long row) {
        long z = GroupIds.mix(seed + 0x9E3779B97F4A7C15L * (row + 1));
        return (z >>> 11) * 0x1.0p-53;
    }

    private static void checkProbability(float p, String column, int row) {
        if (!(p >= 0f && p <= 1f)) {
            throw new DataException(
                    "Predictions, column '"
                            + column
                            + "', row "
                            + row
                            + ": "
                            + p
                            + " is not a probability in [0, 1]");
        }
    }

    private void ensure(int capacity) {
        if (capacity <= ctr.length) {
            return;
        }
        int next = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(capacity, ctr.length * 3L / 2));
        ctr = Arrays.copyOf(ctr, next);
        cvr = Arrays.copyOf(cvr, next);
        flags = Arrays.copyOf(flags, next);
        if (trueCvr != null) {
            trueCvr = Arrays.copyOf(trueCvr, next);
        }
        if (groups != null) {
            groups = Arrays.copyOf(groups, next);
        }
    }
}
