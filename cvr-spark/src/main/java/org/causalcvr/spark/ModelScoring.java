package org.causalcvr.spark;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.plugin.CvrRuntime;

/**
 * Scoring as a DataFrame transformation: appends {@code pctr}, {@code pcvr} and {@code pctcvr}
 * (float, pCTCVR = pCTR · pCVR as {@link Predictions#ctcvr()}) to every row of an exposure log,
 * with a model saved by {@code cvr train} — the numbers {@code cvr predict} writes for the same
 * rows.
 *
 * <p>The model folder is shipped to the executors with {@code SparkContext.addFile} (so it may live
 * on any file system Spark reads) and loaded once per executor JVM through the public {@link
 * CvrRuntime} / {@link Backend} API; tasks of that executor share it (predicting only reads the
 * parameters). Rows are scored in batches of {@link #BATCH_ROWS}; row order is kept.
 */
public final class ModelScoring {
    /** Rows per prediction call. */
    public static final int BATCH_ROWS = 4096;

    /** The appended column names. */
    public static final String PCTR = "pctr";

    public static final String PCVR = "pcvr";
    public static final String PCTCVR = "pctcvr";

    private static final Map<String, TrainedModel> LOADED = new ConcurrentHashMap<>();

    private ModelScoring() {}

    /**
     * The rows of {@code log} with the model's predictions appended.
     *
     * @param model the saved model's folder
     * @param backend the backend that saved it ({@code djl})
     */
    public static Dataset<Row> score(ExposureLogFrame log, String model, String backend) {
        SparkSession spark = log.rows().sparkSession();
        String name = new org.apache.hadoop.fs.Path(model).getName();
        spark.sparkContext().addFile(model, true);
        LogColumns columns = new LogColumns(log.schema(), log.rows().schema());
        StructType out =
                log.rows()
                        .schema()
                        .add(PCTR, DataTypes.FloatType, false)
                        .add(PCVR, DataTypes.FloatType, false)
                        .add(PCTCVR, DataTypes.FloatType, false);
        MapPartitionsFunction<Row, Row> f =
                rows -> new Scored(rows, columns, () -> model(SparkFiles.get(name), backend));
        return log.rows().mapPartitions(f, Encoders.row(out));
    }

    /** The executor's model loaded from {@code dir}, loading it on first use. */
    static TrainedModel model(String dir, String backendName) {
        return LOADED.computeIfAbsent(
                dir + "|" + backendName,
                k -> {
                    Backend backend = CvrRuntime.load().backend(backendName).create(Map.of());
                    TrainedModel m;
                    try {
                        m = backend.load(Path.of(new File(dir).getAbsolutePath()));
                    } catch (RuntimeException e) {
                        backend.close();
                        throw e;
                    }
                    Runtime.getRuntime()
                            .addShutdownHook(
                                    new Thread(
                                            () -> {
                                                m.close();
                                                backend.close();
                                            }));
                    return m;
                });
    }

    /** Scores one partition batch by batch, lazily. */
    private static final class Scored implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final LogColumns columns;
        private final java.util.function.Supplier<TrainedModel> model;
        private List<Row> chunk = List.of();
        private Predictions predictions;
        private float[] ctcvr;
        private int next;

        Scored(
                Iterator<Row> rows,
                LogColumns columns,
                java.util.function.Supplier<TrainedModel> model) {
            this.rows = rows;
            this.columns = columns;
            this.model = model;
        }

        @Override
        public boolean hasNext() {
            if (next < chunk.size()) {
                return true;
            }
            if (!rows.hasNext()) {
                return false;
            }
            List<Row> c = new ArrayList<>(BATCH_ROWS);
            while (rows.hasNext() && c.size() < BATCH_ROWS) {
                c.add(rows.next());
            }
            predictions = model.get().predict(columns.toBatch(c));
            ctcvr = predictions.ctcvr();
            chunk = c;
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = chunk.get(next);
            Object[] v = new Object[r.length() + 3];
            for (int i = 0; i < r.length(); i++) {
                v[i] = r.get(i);
            }
            v[r.length()] = predictions.ctr()[next];
            v[r.length() + 1] = predictions.cvr()[next];
            v[r.length() + 2] = ctcvr[next];
            next++;
            return RowFactory.create(v);
        }
    }
}
