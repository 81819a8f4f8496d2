package org.causalcvr.data.arrow;

import java.util.Objects;

/**
 * One column of a table held by another engine, described by name and type so that {@link
 * ExposureLogSchemas#fromColumns} can check it against the exposure-log rules.
 *
 * @param name the column name
 * @param type the value type, or the element type of a list column
 * @param list whether each row holds a list of {@code type} values (a multi-valued feature or its
 *     weights) rather than one value
 */
public record TypedColumn(String name, ColumnType type, boolean list) {
    public TypedColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** A column holding one value per row. */
    public static TypedColumn scalar(String name, ColumnType type) {
        return new TypedColumn(name, type, false);
    }

    /** A column holding a list of values per row. */
    public static TypedColumn listOf(String name, ColumnType element) {
        return new TypedColumn(name, element, true);
    }
}
