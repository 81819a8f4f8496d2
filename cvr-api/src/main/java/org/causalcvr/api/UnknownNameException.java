package org.causalcvr.api;

import java.util.Collection;
import java.util.TreeSet;

/**
 * A name (of an estimator, backend, preset, config key...) that nothing registered.
 *
 * <p>The message lists the known names in sorted order and, when one is close, suggests it: {@code
 * Unknown estimator 'mutli-dr' (did you mean 'multi-dr'?); known: base, esmm, ...}.
 */
public final class UnknownNameException extends CvrException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;

    public UnknownNameException(String kind, String name, Collection<String> known) {
        super(message(kind, name, known));
        this.kind = kind;
        this.name = name;
    }

    private static String message(String kind, String name, Collection<String> known) {
        var sorted = new TreeSet<>(known);
        var suggestion = Names.nearest(name, sorted);
        return "Unknown "
                + kind
                + " '"
                + name
                + "'"
                + suggestion.map(s -> " (did you mean '" + s + "'?)").orElse("")
                + "; known: "
                + (sorted.isEmpty() ? "(none)" : String.join(", ", sorted));
    }

    /** What kind of thing was looked up, for example {@code estimator}. */
    public String kind() {
        return kind;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }
}
