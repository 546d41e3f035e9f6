package io.sparkprop.report;

import java.util.List;

/** Small HTML building blocks; every piece of text goes through {@link #escape}. */
final class Html {
    private Html() {
    }

    /** {@code text} safe as element content and as a quoted attribute value. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /** A table of text cells (escaped here), the header row first; numbers align right by CSS class. */
    static String table(String cssClass, List<String> header, List<List<String>> rows) {
        StringBuilder s = new StringBuilder("<table class=\"").append(cssClass).append("\">\n<thead><tr>");
        header.forEach(h -> s.append("<th>").append(escape(h)).append("</th>"));
        s.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            s.append("<tr>");
            row.forEach(cell -> s.append("<td>").append(escape(cell)).append("</td>"));
            s.append("</tr>\n");
        }
        return s.append("</tbody></table>\n").toString();
    }

    /** Two columns, name and value, one row per pair. */
    static String facts(List<List<String>> pairs) {
        StringBuilder s = new StringBuilder("<table class=\"facts\">\n");
        for (List<String> pair : pairs) {
            s.append("<tr><th>").append(escape(pair.get(0))).append("</th><td>").append(escape(pair.get(1)))
                    .append("</td></tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    static String paragraph(String text) {
        return "<p class=\"note\">" + escape(text) + "</p>\n";
    }
}
