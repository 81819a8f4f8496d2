package org.causalcvr.experiments.report;

import java.util.List;
import java.util.Optional;

/**
 * A published table of test AUCs to print beside a comparison's own: the literature's figures on
 * the same data and protocol, each with the estimator of this library closest to it, if any.
 *
 * @param source who published it, where, and under which protocol (one line)
 * @param entries the published methods, in the publication's order
 */
public record PublishedTable(String source, List<Entry> entries) {
    public PublishedTable {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("A published table needs an entry");
        }
    }

    /**
     * One published method.
     *
     * @param method its name in the publication
     * @param auc its published test AUC, in [0, 1]
     * @param closest the registered estimator here that implements the same method (or its
     *     multi-task variant), if one does
     */
    public record Entry(String method, double auc, Optional<String> closest) {
        public Entry {
            if (!(auc >= 0 && auc <= 1)) {
                throw new IllegalArgumentException("A published AUC must be in [0, 1]: " + auc);
            }
        }
    }

    /** The one-line form: {@code source: method .7429, ...}. */
    public String line() {
        var sb = new StringBuilder(source).append(':');
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            sb.append(i == 0 ? " " : ", ")
                    .append(e.method())
                    .append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.4f", e.auc()).substring(1));
        }
        return sb.toString();
    }
}
