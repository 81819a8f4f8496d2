package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * Converts KuaiRand (Gao et al., "KuaiRand: An Unbiased Sequential Recommendation Dataset with
 * Randomly Exposed Videos", CIKM 2022; KuaiRand-Pure, -1K or -27K) to exposure logs.
 *
 * <p>Input: the interaction logs as published, CSV with a header line naming at least {@code
 * user_id}, {@code video_id}, {@code is_click} and the conversion column; {@code tab} and {@code
 * hourmin} (HHMM) are used when present, other columns ({@code date}, {@code time_ms}, {@code
 * play_time_ms}, ...) are ignored. The standard logs ({@code log_standard_*.csv}) are what the
 * platform's recommender chose to show; the random log ({@code log_random_4_22_to_5_08_*.csv})
 * holds videos inserted into the feeds at random, so its exposures are missing at random.
 *
 * <p>Output: one row per log row (an exposure), click = {@code is_click}, conversion = the click
 * followed by the conversion signal ({@code is_like} by default; {@code long_view}, {@code
 * is_follow}, {@code is_comment}, {@code is_forward} and {@code is_profile_enter} are the other
 * post-click signals of the logs). A signal without a click is not a post-click conversion: it
 * becomes conversion 0 and is counted in a note. Training rows are the standard logs, in file
 * order; the random log is shared out by the {@link CoatConverter.Protocol} ({@link
 * RandomSetSplit}): all of it for test, or 5% appended to training, 5% validation, 90% test. Unlike
 * Coat's random set, here the exposure is random and the click is still the user's own, so the test
 * file has real clicks and the exposure-space metrics apply to it. Features: {@code user} ({@code
 * user_id}), {@code item} ({@code video_id}), and {@code tab} and {@code hour} when the logs have
 * them; the group is the user. Ids are the published ones (0-based), so the cardinalities are the
 * largest id in any input plus one.
 */
public final class KuaiRandConverter {
    /** The post-click signals a conversion may be. */
    public static final List<String> SIGNALS =
            List.of(
                    "is_like",
                    "long_view",
                    "is_follow",
                    "is_comment",
                    "is_forward",
                    "is_profile_enter");

    /**
     * @param conversion the column whose 1 after a click is a conversion, one of {@link #SIGNALS}
     * @param protocol how the random log is split
     * @param seed the shuffle of {@code 5-5-90}
     */
    public record Options(String conversion, CoatConverter.Protocol protocol, long seed) {
        public Options {
            if (!SIGNALS.contains(conversion)) {
                throw new org.causalcvr.api.UnknownNameException(
                        "KuaiRand conversion signal", conversion, SIGNALS);
            }
            if (protocol == null) {
                throw new IllegalArgumentException("A protocol is required");
            }
        }
    }

    private KuaiRandConverter() {}

    /** {@link #convert(List, Path, Path, Options, BufferAllocator)} under the program's memory. */
    public static CoatConverter.Result convert(
            List<Path> standardLogs,
            Path randomLog,
            Path outputDir,
            Options options,
            Allocators memory) {
        return convert(standardLogs, randomLog, outputDir, options, memory.root());
    }

    /**
     * Converts the standard logs and the random log into {@code outputDir}: {@code train.arrow},
     * {@code test.arrow}, and {@code validation.arrow} for {@code 5-5-90}.
     */
    public static CoatConverter.Result convert(
            List<Path> standardLogs,
            Path randomLog,
            Path outputDir,
            Options options,
            BufferAllocator allocator) {
        if (standardLogs.isEmpty()) {
            throw new IllegalArgumentException("At least one standard log is required");
        }
        // pass 1: the random log into memory (it is split), the standard logs' largest ids
        Extent extent = new Extent();
        ConversionReport.Builder randomReport = new ConversionReport.Builder(randomLog.toString());
        List<int[]> random = new ArrayList<>();
        read(randomLog, options, extent, randomReport, random::add);
        for (Path log : standardLogs) {
            read(log, options, extent, new ConversionReport.Builder(log.toString()), row -> {});
        }
        ExposureLogSchema schema = extent.schema();
        RandomSetSplit<int[]> split = RandomSetSplit.of(random, options.protocol(), options.seed());

        List<ConversionReport> reports = new ArrayList<>();
        Path trainOut = outputDir.resolve("train.arrow");
        try (ExposureWriter out =
                ExposureWriter.create(
                        trainOut,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS)) {
            BatchBuilder b = out.builder();
            ConversionReport.Builder r =
                    new ConversionReport.Builder(
                            String.join(", ", standardLogs.stream().map(Path::toString).toList()));
            for (Path log : standardLogs) {
                read(log, options, null, r, row -> row(b, extent, row));
            }
            for (int[] row : split.extraTrain()) {
                r.read();
                row(b, extent, row);
                r.written();
            }
            r.note(
                    "conversion = is_click and "
                            + options.conversion()
                            + ", protocol "
                            + options.protocol().id());
            if (!split.extraTrain().isEmpty()) {
                r.note(
                        split.extraTrain().size()
                                + " random-log rows appended after the standard logs");
            }
            reports.add(r.build(out.commit()));
        }
        Optional<Path> validationOut = Optional.empty();
        if (!split.validation().isEmpty()) {
            validationOut =
                    Optional.of(
                            writeRandom(
                                    outputDir.resolve("validation.arrow"),
                                    split.validation(),
                                    schema,
                                    extent,
                                    randomLog,
                                    options,
                                    allocator,
                                    reports));
        }
        Path testOut =
                writeRandom(
                        outputDir.resolve("test.arrow"),
                        split.test(),
                        schema,
                        extent,
                        randomLog,
                        options,
                        allocator,
                        reports);
        return new CoatConverter.Result(trainOut, validationOut, testOut, reports);
    }

    private static Path writeRandom(
            Path target,
            List<int[]> rows,
            ExposureLogSchema schema,
            Extent extent,
            Path randomLog,
            Options options,
            BufferAllocator allocator,
            List<ConversionReport> reports) {
        try (ExposureWriter out =
                ExposureWriter.create(
                        target,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS)) {
            ConversionReport.Builder r = new ConversionReport.Builder(randomLog.toString());
            for (int[] row : rows) {
                r.read();
                row(out.builder(), extent, row);
                r.written();
            }
            r.note(
                    "random-exposure log, conversion = is_click and "
                            + options.conversion()
                            + noteOfSignalsWithoutClick(rows));
            Path done = out.commit();
            reports.add(r.build(done));
            return done;
        }
    }

    private static String noteOfSignalsWithoutClick(List<int[]> rows) {
        long n = rows.stream().filter(r -> r[SIGNAL_WITHOUT_CLICK] == 1).count();
        return n == 0 ? "" : "; " + n + " rows with the signal but no click have conversion 0";
    }

    // a row in memory: user, video, tab, hour, click, conversion, signal-without-click
    private static final int USER = 0;
    private static final int VIDEO = 1;
    private static final int TAB = 2;
    private static final int HOUR = 3;
    private static final int CLICK = 4;
    private static final int CONVERSION = 5;
    private static final int SIGNAL_WITHOUT_CLICK = 6;

    private static void row(BatchBuilder b, Extent extent, int[] row) {
        int r = b.addRow(row[CLICK], row[CONVERSION]);
        b.setId(0, r, row[USER]);
        b.setId(1, r, row[VIDEO]);
        int f = 2;
        if (extent.tab) {
            b.setId(f++, r, row[TAB]);
        }
        if (extent.hour) {
            b.setId(f, r, row[HOUR]);
        }
        b.setGroup(r, row[USER]);
    }

    /** The largest ids and the optional columns seen in the first pass. */
    private static final class Extent {
        int users;
        int videos;
        int tabs;
        boolean tab = true;
        boolean hour = true;

        ExposureLogSchema schema() {
            List<FeatureField> fields = new ArrayList<>();
            fields.add(FeatureField.single("user", FieldRole.USER, users));
            fields.add(FeatureField.single("item", FieldRole.ITEM, videos));
            if (tab) {
                fields.add(FeatureField.single("tab", FieldRole.CONTEXT, Math.max(1, tabs)));
            }
            if (hour) {
                fields.add(FeatureField.single("hour", FieldRole.CONTEXT, 24));
            }
            return ExposureLogSchema.of(new FeatureSchema(fields, true, false));
        }
    }

    /**
     * Reads one log, handing each row to {@code sink}; with an {@code extent}, also records the
     * largest ids and which optional columns every log has.
     */
    private static void read(
            Path log,
            Options options,
            Extent extent,
            ConversionReport.Builder report,
            java.util.function.Consumer<int[]> sink) {
        long signalsWithoutClick = 0;
        try (TextInput in = TextInput.open(log)) {
            String header = in.next();
            if (header == null) {
                throw DataException.inFile(log, "empty file (no header line)");
            }
            Map<String, Integer> col = new HashMap<>();
            String[] names = header.split(",", -1);
            for (int i = 0; i < names.length; i++) {
                col.put(names[i].trim().replace("\"", ""), i);
            }
            int user = require(col, "user_id", log);
            int video = require(col, "video_id", log);
            int click = require(col, "is_click", log);
            int signal = require(col, options.conversion(), log);
            int tab = col.getOrDefault("tab", -1);
            int hourmin = col.getOrDefault("hourmin", -1);
            if (extent != null) {
                extent.tab &= tab >= 0;
                extent.hour &= hourmin >= 0;
            }
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                report.read();
                String[] t = line.split(",", -1);
                if (t.length != names.length) {
                    throw in.error(
                            names[Math.min(t.length, names.length - 1)],
                            t.length + " columns, the header has " + names.length);
                }
                int[] row = new int[7];
                row[USER] = in.parseId(t[user], "user_id");
                row[VIDEO] = in.parseId(t[video], "video_id");
                row[CLICK] = in.parseLabel(t[click], "is_click");
                int s = in.parseLabel(t[signal], options.conversion());
                row[CONVERSION] = row[CLICK] & s;
                row[SIGNAL_WITHOUT_CLICK] = s & (1 - row[CLICK]);
                signalsWithoutClick += row[SIGNAL_WITHOUT_CLICK];
                if (tab >= 0) {
                    row[TAB] = in.parseId(t[tab], "tab");
                }
                if (hourmin >= 0) {
                    int hm = in.parseId(t[hourmin], "hourmin");
                    if (hm / 100 > 23 || hm % 100 > 59) {
                        throw in.error("hourmin", hm + " is not a time HHMM");
                    }
                    row[HOUR] = hm / 100;
                }
                if (extent != null) {
                    extent.users = Math.max(extent.users, row[USER] + 1);
                    extent.videos = Math.max(extent.videos, row[VIDEO] + 1);
                    extent.tabs = Math.max(extent.tabs, row[TAB] + 1);
                }
                sink.accept(row);
                report.written();
            }
        }
        if (extent == null && signalsWithoutClick > 0) {
            report.note(
                    log.getFileName()
                            + ": "
                            + signalsWithoutClick
                            + " rows with "
                            + options.conversion()
                            + " but no click have conversion 0");
        }
    }

    private static int require(Map<String, Integer> col, String name, Path log) {
        Integer i = col.get(name);
        if (i == null) {
            throw DataException.inFile(
                    log,
                    "the header has no column '"
                            + name
                            + "' (a KuaiRand log names user_id, video_id, is_click, "
                            + String.join(", ", SIGNALS)
                            + ", ...)");
        }
        return i;
    }
}
