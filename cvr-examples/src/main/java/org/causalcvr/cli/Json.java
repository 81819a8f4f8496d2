package org.causalcvr.cli;

import com.google.gson.Gson;

/** The tool's JSON output: the same settings as report.json ({@code experiments.report.Json}). */
final class Json {
    static final Gson GSON = org.causalcvr.experiments.report.Json.GSON;

    private Json() {}

    static String write(Object value) {
        return org.causalcvr.experiments.report.Json.write(value);
    }
}
