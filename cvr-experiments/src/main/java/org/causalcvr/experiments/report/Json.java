package org.causalcvr.experiments.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The one JSON configuration of reports and the tool: pretty, stable field order (maps keep their
 * insertion order), NaN and infinities written as the bare tokens Gson allows.
 */
public final class Json {
    /** The configured Gson. */
    public static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeSpecialFloatingPointValues()
                    .disableHtmlEscaping()
                    .create();

    private Json() {}

    /** {@code value} as pretty JSON. */
    public static String write(Object value) {
        return GSON.toJson(value);
    }
}
