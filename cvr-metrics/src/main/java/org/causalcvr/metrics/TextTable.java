package org.causalcvr.metrics;

import java.util.List;

/** Left-aligned text columns separated by two spaces. */
final class TextTable {
    private TextTable() {}

    static String render(List<List<String>> lines) {
        int columns = lines.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (var line : lines) {
            for (int c = 0; c < line.size(); c++) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        var out = new StringBuilder();
        for (var line : lines) {
            var text = new StringBuilder();
            for (int c = 0; c < line.size(); c++) {
                text.append(line.get(c));
                if (c < line.size() - 1) {
                    text.append(" ".repeat(width[c] - line.get(c).length() + 2));
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
