package org.causalcvr.experiments.report;

import java.util.List;

/** Plain-text and Markdown tables with aligned columns. */
public final class Tables {
    private Tables() {}

    /** Columns padded to their widest cell; the first row is the header. */
    public static String text(List<List<String>> rows) {
        int[] width = widths(rows);
        var sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                sb.append(c == 0 ? pad(cell, width[c], true) : "  " + pad(cell, width[c], false));
            }
            sb.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
            }
        }
        return sb.toString();
    }

    /** A GitHub-flavoured Markdown table; the first row is the header. */
    public static String markdown(List<List<String>> rows) {
        var sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            var cells = rows.get(r).stream().map(Tables::markdownCell).toList();
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
            if (r == 0) {
                sb.append("|");
                for (int c = 0; c < rows.get(0).size(); c++) {
                    sb.append(c == 0 ? "---|" : "---:|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * A cell's text with its pipes escaped, so that a label such as {@code E[q | x]} stays in its
     * column.
     */
    private static String markdownCell(String text) {
        return text.replace("|", "\\|");
    }

    private static int[] widths(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        return width;
    }

    private static String pad(String s, int width, boolean left) {
        String spaces = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + spaces : spaces + s;
    }
}
