package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ConversionPolicy;

/**
 * The processed Ali-CCP CSV (torch-rechub's layout: {@code click, purchase}, the 23 sparse fields
 * as 0-based vocabulary indices, 8 dense {@code D*} columns): a {@link CsvMapping} preset. {@code
 * purchase} becomes {@code conversion}, field {@code 101} (the user) is also the group, the dense
 * columns become dense (Float32) fields of the same names ({@link #DENSE}; a {@code D*} column is a
 * real-valued companion of the sparse field it names), and rows with a purchase but no click are
 * dropped and counted.
 *
 * <pre>{@code
 * AliCcpProcessed.convert(List.of(train, val, test), List.of(a, b, c), null, memory.root());
 * }</pre>
 */
public final class AliCcpProcessed {
    /** The 23 sparse fields in file order. */
    public static final List<String> FIELDS =
            List.of(
                    "101", "121", "122", "124", "125", "126", "127", "128", "129", "205", "206",
                    "207", "210", "216", "508", "509", "702", "853", "301", "109_14", "110_14",
                    "127_14", "150_14");

    /** The 8 dense columns in file order. */
    public static final List<String> DENSE =
            List.of("D109_14", "D110_14", "D127_14", "D150_14", "D508", "D509", "D702", "D853");

    private AliCcpProcessed() {}

    /** The role of an Ali-CCP field (see the Ali-CCP field description). */
    public static FieldRole role(String field) {
        return switch (field) {
            case "101",
                    "121",
                    "122",
                    "124",
                    "125",
                    "126",
                    "127",
                    "128",
                    "129",
                    "109_14",
                    "110_14",
                    "127_14",
                    "150_14" ->
                    FieldRole.USER;
            case "205", "206", "207", "210", "216" -> FieldRole.ITEM;
            case "508", "509", "702", "853" -> FieldRole.CROSS;
            default -> FieldRole.CONTEXT;
        };
    }

    /**
     * The mapping.
     *
     * @param cardinalities the vocabulary size of each field, or null (or a missing entry) to use
     *     the largest index in the inputs plus one
     */
    public static CsvMapping mapping(Map<String, Long> cardinalities) {
        List<CsvMapping.Feature> features = new ArrayList<>();
        for (String f : FIELDS) {
            long card = cardinalities == null ? 0 : cardinalities.getOrDefault(f, 0L);
            features.add(CsvMapping.Feature.single(f, role(f), card));
        }
        List<CsvMapping.Dense> dense = new ArrayList<>();
        for (String d : DENSE) {
            dense.add(CsvMapping.Dense.of(d, role(d.substring(1))));
        }
        return CsvMapping.of("click", "purchase", features)
                .withDense(dense)
                .withGroup("101")
                .withPolicy(ConversionPolicy.DROP_AND_COUNT);
    }

    /** {@link #convert(List, List, Map, BufferAllocator)} under the program's allocators. */
    public static List<ConversionReport> convert(
            List<Path> inputs,
            List<Path> outputs,
            Map<String, Long> cardinalities,
            Allocators memory) {
        return convert(inputs, outputs, cardinalities, memory.root());
    }

    /** Converts the splits with one shared schema. */
    public static List<ConversionReport> convert(
            List<Path> inputs,
            List<Path> outputs,
            Map<String, Long> cardinalities,
            BufferAllocator allocator) {
        return CsvConverter.convert(mapping(cardinalities), inputs, outputs, allocator);
    }
}
