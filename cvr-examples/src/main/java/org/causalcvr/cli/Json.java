package org.causalcvr.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one JSON configuration of the tool: pretty, stable field order, NaN allowed. */
final class Json {
    static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeSpecialFloatingPointValues()
                    .disableHtmlEscaping()
                    .create();

    private Json() {}

    static String write(Object value) {
        return GSON.toJson(value);
    }
}
