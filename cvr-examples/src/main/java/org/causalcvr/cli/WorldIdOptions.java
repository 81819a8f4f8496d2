package org.causalcvr.cli;

import org.causalcvr.api.config.ConfigException;
import org.causalcvr.data.arrow.synth.WorldConfig;
import picocli.CommandLine.Option;

/**
 * How many user and item ids a synthetic world has, shared by the commands that build one. A world
 * drawn at more rows with the same ids gives each id more clicks; growing the ids with the rows
 * keeps the clicks per id (what one id's embedding learns from) as it was, as more traffic in a
 * real log comes with more users and items.
 */
final class WorldIdOptions {
    @Option(
            names = "--users",
            paramLabel = "N",
            description = "User ids of the world (default: the preset's).")
    Integer users;

    @Option(
            names = "--items",
            paramLabel = "N",
            description = "Item ids of the world (default: the preset's).")
    Integer items;

    /** {@code config} with the ids asked for; a count below 1 is refused by its option's name. */
    WorldConfig apply(WorldConfig config) {
        WorldConfig out = config;
        if (users != null) {
            out = out.withUsers(checked("--users", users));
        }
        if (items != null) {
            out = out.withItems(checked("--items", items));
        }
        return out;
    }

    private static int checked(String option, int count) {
        if (count < 1) {
            throw new ConfigException(
                    "Option " + option + " = " + count + " is out of range: allowed [1, 2^31)");
        }
        return count;
    }
}
