package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr generate}: a synthetic MNAR world with the truth stored for every exposure. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Generate a synthetic exposure log whose clicks and conversions share a confounder, with true_propensity and true_cvr on every row. Row t of a world depends only on the world (preset, knobs, --seed) and t: --test-rows/--valid-rows draw disjoint held-out samples of the same world in the same call, and --first-row draws any other range later. Each file records its world and row range, and evaluate/compare warn when a test file comes from another world or shares training rows.")
final class GenerateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--preset",
            defaultValue = "ali-ccp-like",
            description = "World preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(
            names = "--rows",
            required = true,
            paramLabel = "N",
            description = "Number of exposures.")
    long rows;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "Seed of the world and its rows (default: ${DEFAULT-VALUE}). Another seed is another world: draw a test set with --test-rows, not with another seed.")
    long seed;

    @Option(
            names = "--first-row",
            defaultValue = "0",
            paramLabel = "T",
            description =
                    "First world row written to --out (default: ${DEFAULT-VALUE}); files of one world with disjoint row ranges are disjoint samples of it.")
    long firstRow;

    @Option(
            names = "--test-rows",
            paramLabel = "M",
            description =
                    "Also write M held-out rows of the same world (the rows right after --out's) to --test-out.")
    Long testRows;

    @Option(names = "--test-out", paramLabel = "FILE", description = "Test file of --test-rows.")
    Path testOut;

    @Option(
            names = "--valid-rows",
            paramLabel = "K",
            description =
                    "Also write K validation rows of the same world (after the test rows) to --valid-out.")
    Long validRows;

    @Option(
            names = "--valid-out",
            paramLabel = "FILE",
            description = "Validation file of --valid-rows.")
    Path validOut;

    @Option(
            names = "--confounder-visibility",
            paramLabel = "V",
            description =
                    "Share in [0, 1] of the confounder that the features carry: 0 all hidden, 1 all seen (default: the preset's).")
    Double visibility;

    @Option(
            names = "--popularity-skew",
            paramLabel = "KAPPA",
            description =
                    "Weight >= 0 of user and item log-popularity in the click logit: rarely shown ids are rarely clicked (default: the preset's).")
    Double popularitySkew;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Arrow IPC file to write (atomically).")
    Path out;

    @Option(
            names = "--confounding",
            paramLabel = "GAMMA",
            description = "Confounding strength γ (default: the preset's).")
    Double confounding;

    @Option(
            names = "--ctr",
            paramLabel = "RATE",
            description = "Mean click-through rate (default: the preset's).")
    Double ctr;

    @Option(
            names = "--cvr",
            paramLabel = "RATE",
            description = "Mean post-click conversion rate (default: the preset's).")
    Double cvr;

    @Mixin WorldIdOptions ids;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** The preset names for help texts. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }

    @Override
    public Integer call() {
        if (rows < 1) {
            throw new IllegalArgumentException(
                    "Option --rows = " + rows + " is out of range: allowed [1, +inf)");
        }
        if (firstRow < 0) {
            throw new ConfigException(
                    "Option --first-row = " + firstRow + " is out of range: allowed [0, +inf)");
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("train", out, firstRow, rows));
        long next = firstRow + rows;
        next = held(parts, "test", testRows, testOut, "--test-rows", "--test-out", next);
        held(parts, "valid", validRows, validOut, "--valid-rows", "--valid-out", next);
        for (int i = 0; i < parts.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (parts.get(i)
                        .file()
                        .toAbsolutePath()
                        .equals(parts.get(j).file().toAbsolutePath())) {
                    throw new ConfigException(
                            "Options name the same file twice: " + parts.get(i).file());
                }
            }
            // Every target at once, so a user's file at --test-out fails the call before the
            // training file is written.
            AtomicFolders.requireReplaceable(parts.get(i).file(), ExposureWriter.FILE_KIND);
        }
        WorldConfig config =
                ids.apply(world(preset, seed, confounding, ctr, cvr, visibility, popularitySkew));
        var stdout = spec.commandLine().getOut();
        if (!json) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            Locale.ROOT,
                            "Generating %,d rows of %s ...%n",
                            parts.stream().mapToLong(Part::rows).sum(),
                            preset);
        }
        try (Allocators memory = Allocators.create()) {
            SyntheticWorld world = SyntheticWorld.build(config);
            Map<String, Object> summary = null;
            for (Part part : parts) {
                var result =
                        world.write(part.file(), part.firstRow(), part.rows(), memory, d -> {});
                Map<String, Object> m = summary(result, config, world, part);
                if (summary == null) {
                    summary = m;
                } else {
                    summary.put(part.name(), m);
                }
                if (!json) {
                    stdout.printf(
                            Locale.ROOT,
                            "%s: %,d rows (world rows %,d to %,d), %,d clicks (CTR %.2f%%), %,d conversions (CVR %.2f%%), confounding %.2f, visibility %.2f, %,.0f rows/s%n",
                            result.path(),
                            result.rows(),
                            part.firstRow(),
                            part.firstRow() + part.rows() - 1,
                            result.clicks(),
                            100.0 * result.clicks() / result.rows(),
                            result.conversions(),
                            result.clicks() == 0
                                    ? 0
                                    : 100.0 * result.conversions() / result.clicks(),
                            config.confounding(),
                            config.confounderVisibility(),
                            result.rowsPerSecond());
                }
            }
            if (json) {
                stdout.println(Json.write(summary));
            }
        }
        return 0;
    }

    /** One file of the call: a row range of the world. */
    private record Part(String name, Path file, long firstRow, long rows) {}

    /** Adds the held-out part that a rows/file option pair asks for; returns the next free row. */
    private static long held(
            List<Part> parts,
            String name,
            Long count,
            Path file,
            String rowsOption,
            String fileOption,
            long next) {
        if (count == null && file == null) {
            return next;
        }
        if (count == null || file == null) {
            throw new ConfigException(
                    "Options " + rowsOption + " and " + fileOption + " go together; give both");
        }
        if (count < 1) {
            throw new ConfigException(
                    "Option " + rowsOption + " = " + count + " is out of range: allowed [1, +inf)");
        }
        parts.add(new Part(name, file, next, count));
        return next + count;
    }

    private Map<String, Object> summary(
            SyntheticWorld.WriteResult result,
            WorldConfig config,
            SyntheticWorld world,
            Part part) {
        var summary = new LinkedHashMap<String, Object>();
        summary.put("file", result.path().toString());
        summary.put("preset", preset);
        summary.put("seed", seed);
        summary.put("rows", result.rows());
        summary.put("firstRow", part.firstRow());
        summary.put("clicks", result.clicks());
        summary.put("conversions", result.conversions());
        summary.put("ctr", result.clicks() / (double) result.rows());
        summary.put(
                "cvr",
                result.clicks() == 0
                        ? Double.NaN
                        : result.conversions() / (double) result.clicks());
        summary.put("confounding", config.confounding());
        summary.put("confounderVisibility", config.confounderVisibility());
        summary.put("popularitySkew", config.popularitySkew());
        summary.put("worldParameters", world.provenance(part.firstRow(), part.rows()).parameters());
        summary.put("bytes", result.bytes());
        summary.put("seconds", result.seconds());
        summary.put("rowsPerSecond", result.rowsPerSecond());
        return summary;
    }

    static WorldConfig world(String preset, long seed, Double confounding, Double ctr, Double cvr) {
        return world(preset, seed, confounding, ctr, cvr, null, null);
    }

    /** The preset with the knobs given (null keeps the preset's value). */
    static WorldConfig world(
            String preset,
            long seed,
            Double confounding,
            Double ctr,
            Double cvr,
            Double visibility,
            Double popularitySkew) {
        WorldConfig config = Presets.get(preset).withSeed(seed);
        try {
            if (visibility != null) {
                config = config.withConfounderVisibility(visibility);
            }
            if (popularitySkew != null) {
                config = config.withPopularitySkew(popularitySkew);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Option --"
                            + (visibility != null && !(visibility >= 0 && visibility <= 1)
                                    ? "confounder-visibility = "
                                            + visibility
                                            + " is out of range: allowed [0, 1]"
                                    : "popularity-skew = "
                                            + popularitySkew
                                            + " is out of range: allowed [0, 5]"));
        }
        if (confounding != null) {
            config = config.withConfounding(confounding);
        }
        if (ctr != null || cvr != null) {
            config =
                    config.withRates(
                            ctr != null ? ctr : config.clickRate(),
                            cvr != null ? cvr : config.conversionRate());
        }
        return config;
    }
}
