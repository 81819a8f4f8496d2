package org.causalcvr.experiments.tune;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.causalcvr.api.config.ConfigException;

/**
 * One searched setting and how its values are drawn. Written {@code key=loguniform(lo,hi)} (log of
 * the value uniform on [log lo, log hi]), {@code key=int(lo,hi)} (an integer uniform on [lo, hi])
 * or {@code key=choice(a,b,c)} (one of the listed values, each equally likely).
 */
public sealed interface Dimension {
    /** The setting's key, as {@code --set} names it. */
    String key();

    /** One value drawn with {@code random}, as the setting's text. */
    String draw(SplittableRandom random);

    /** The dimension as {@code --space} writes it. */
    String text();

    /** Log-uniform on [lo, hi], 0 < lo < hi. */
    record LogUniform(String key, double lo, double hi) implements Dimension {
        public LogUniform {
            if (!(lo > 0 && hi > lo) || !Double.isFinite(hi)) {
                throw new ConfigException(
                        "Option --space "
                                + key
                                + ": loguniform needs 0 < lo < hi, got "
                                + lo
                                + ", "
                                + hi);
            }
        }

        @Override
        public String draw(SplittableRandom random) {
            double u = random.nextDouble();
            double v = Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
            // Three significant digits: enough for a step size, and a readable settings file.
            return String.format(Locale.ROOT, "%.3g", v).trim();
        }

        @Override
        public String text() {
            return key + "=loguniform(" + lo + "," + hi + ")";
        }
    }

    /** An integer uniform on [lo, hi]. */
    record IntRange(String key, long lo, long hi) implements Dimension {
        public IntRange {
            if (hi < lo) {
                throw new ConfigException(
                        "Option --space " + key + ": int needs lo <= hi, got " + lo + ", " + hi);
            }
        }

        @Override
        public String draw(SplittableRandom random) {
            return Long.toString(lo + random.nextLong(hi - lo + 1));
        }

        @Override
        public String text() {
            return key + "=int(" + lo + "," + hi + ")";
        }
    }

    /** One of {@code values}, each equally likely. */
    record Choice(String key, List<String> values) implements Dimension {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new ConfigException("Option --space " + key + ": choice needs a value");
            }
        }

        @Override
        public String draw(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public String text() {
            return key + "=choice(" + String.join(",", values) + ")";
        }
    }

    /** Parses {@code key=kind(args)}; anything else fails naming the text. */
    static Dimension parse(String text) {
        int eq = text.indexOf('=');
        int open = text.indexOf('(');
        if (eq <= 0 || open < eq || !text.endsWith(")")) {
            throw new ConfigException(
                    "Option --space '"
                            + text
                            + "' is not key=loguniform(lo,hi), key=int(lo,hi) or key=choice(a,b,...)");
        }
        String key = text.substring(0, eq).trim();
        String kind = text.substring(eq + 1, open).trim().toLowerCase(Locale.ROOT);
        List<String> args =
                java.util.Arrays.stream(text.substring(open + 1, text.length() - 1).split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        try {
            return switch (kind) {
                case "loguniform" -> {
                    requireTwo(text, args);
                    yield new LogUniform(
                            key, Double.parseDouble(args.get(0)), Double.parseDouble(args.get(1)));
                }
                case "int" -> {
                    requireTwo(text, args);
                    yield new IntRange(
                            key, Long.parseLong(args.get(0)), Long.parseLong(args.get(1)));
                }
                case "choice" -> new Choice(key, args);
                default ->
                        throw new ConfigException(
                                "Option --space '"
                                        + text
                                        + "': unknown kind '"
                                        + kind
                                        + "' (loguniform, int or choice)");
            };
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "Option --space '" + text + "': not a number: " + e.getMessage());
        }
    }

    private static void requireTwo(String text, List<String> args) {
        if (args.size() != 2) {
            throw new ConfigException("Option --space '" + text + "' needs two bounds");
        }
    }
}
