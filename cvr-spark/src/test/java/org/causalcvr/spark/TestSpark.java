package org.causalcvr.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedColumn;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;

/** The local Spark session of a test class, and helpers to compare logs row by row. */
final class TestSpark {
    private TestSpark() {}

    /** A local session on two cores with few shuffle partitions and no UI. */
    static SparkSession start(String name) {
        return SparkSession.builder()
                .appName(name)
                .master("local[2]")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /** A real data folder of the repository ({@code data/<name>}), found upwards from here. */
    static Path realData(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            for (Path c :
                    List.of(
                            dir.resolve("data").resolve(name),
                            dir.resolve("shared/data").resolve(name))) {
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "data/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Every row of the Arrow exposure logs {@code files}, in order, as text. */
    static List<String> arrowRows(List<Path> files) {
        List<String> out = new ArrayList<>();
        try (Allocators memory = Allocators.create()) {
            for (Path f : files) {
                ArrowExposureSource source = ArrowExposureSource.open(f, memory);
                try (BatchCursor c = source.open()) {
                    while (c.next()) {
                        ExposureBatch b = c.batch();
                        for (int i = 0; i < b.size(); i++) {
                            out.add(row(b, i));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** One row as text: labels, every feature (ids and weights), group and ground truth. */
    static String row(ExposureBatch b, int i) {
        FeatureSchema s = b.schema();
        StringBuilder sb = new StringBuilder();
        sb.append(b.clicks().getInt(i)).append(',').append(b.conversions().getInt(i));
        for (int f = 0; f < s.size(); f++) {
            sb.append(',');
            if (s.field(f).multiValued()) {
                MultiValuedColumn m = b.multiValuedFeature(f);
                sb.append('[');
                for (int j = m.start(i); j < m.end(i); j++) {
                    sb.append(m.ids().getInt(j));
                    if (m.weights().isPresent()) {
                        sb.append(':').append(m.weights().get().getFloat(j));
                    }
                    sb.append(' ');
                }
                sb.append(']');
            } else {
                sb.append(b.feature(f).getInt(i));
            }
        }
        b.groups().ifPresent(g -> sb.append(",g").append(g.getLong(i)));
        b.trueCvr()
                .ifPresent(
                        q ->
                                sb.append(",t")
                                        .append(b.truePropensity().get().getFloat(i))
                                        .append('/')
                                        .append(q.getFloat(i)));
        return sb.toString();
    }
}
