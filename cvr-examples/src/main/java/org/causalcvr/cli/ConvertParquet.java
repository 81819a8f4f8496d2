package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ColumnMapping;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.convert.ParquetTableConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cvr convert parquet}: a Parquet table without the exposure-log metadata (a file, or a
 * folder of parts as Spark writes it) to an exposure log, mapped column by column as {@code cvr
 * convert csv} maps a CSV file.
 */
@Command(
        name = "parquet",
        mixinStandardHelpOptions = true,
        description =
                "A Parquet table (file or Spark folder) without exposure-log metadata, mapped column by column: --feature COLUMN:ROLE:CARDINALITY (roles user, item, context, cross); --out ending in .parquet writes Parquet, else Arrow IPC.")
final class ConvertParquet implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE|FOLDER")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path output;

    @Option(names = "--click", required = true, paramLabel = "COLUMN")
    String click;

    @Option(names = "--conversion", required = true, paramLabel = "COLUMN")
    String conversion;

    @Option(names = "--feature", required = true, paramLabel = "COLUMN:ROLE:CARDINALITY")
    List<String> features;

    @Option(names = "--group", paramLabel = "COLUMN", description = "A 64-bit group id column.")
    String group;

    @Option(
            names = "--conversion-without-click",
            defaultValue = "fail",
            description = "fail or drop (default: ${DEFAULT-VALUE}).")
    String conversionWithoutClick;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        var mapped = new ArrayList<ColumnMapping.Column>();
        for (String f : features) {
            String[] parts = f.split(":");
            if (parts.length != 3) {
                throw new ConfigException(
                        "Option --feature '" + f + "' is not COLUMN:ROLE:CARDINALITY");
            }
            FieldRole role;
            try {
                role = FieldRole.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "Option --feature '"
                                + f
                                + "': role '"
                                + parts[1]
                                + "' is not one of user, item, context, cross");
            }
            long cardinality;
            try {
                cardinality = Long.parseLong(parts[2].trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "Option --feature '"
                                + f
                                + "': cardinality '"
                                + parts[2]
                                + "' is not an integer");
            }
            mapped.add(ColumnMapping.Column.single(parts[0].trim(), role, cardinality));
        }
        ColumnMapping mapping = new ColumnMapping(click, conversion, mapped, group, null, null);
        ConversionPolicy policy =
                switch (conversionWithoutClick.toLowerCase(Locale.ROOT)) {
                    case "fail" -> ConversionPolicy.FAIL;
                    case "drop" -> ConversionPolicy.DROP_AND_COUNT;
                    default ->
                            throw new ConfigException(
                                    "Option --conversion-without-click = '"
                                            + conversionWithoutClick
                                            + "' is not one of {fail, drop}");
                };
        try (Allocators memory = Allocators.create()) {
            ConvertCommand.print(
                    spec,
                    List.of(
                            ParquetTableConverter.convert(
                                    input, mapping, policy, output, memory.root())),
                    json);
        }
        return 0;
    }
}
