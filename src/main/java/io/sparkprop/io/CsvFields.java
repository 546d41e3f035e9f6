package io.sparkprop.io;

import java.nio.charset.StandardCharsets;

/**
 * Splits one CSV line (UTF-8 bytes) into fields, in place: commas separate fields, spaces and tabs
 * around a field are ignored, and a field may be enclosed in double quotes (then it may hold commas,
 * and {@code ""} stands for a quote). A field is a range {@code [start(i), end(i))} of the line's
 * bytes, quotes and surrounding blanks excluded. Reused line after line: no allocation per line
 * unless a line has more fields than any before.
 */
final class CsvFields {
    private byte[] line;
    private int[] starts;
    private int[] ends;
    private int count;
    private int badQuoteField;
    private String badQuote;

    CsvFields(int expectedFields) {
        starts = new int[Math.max(1, expectedFields)];
        ends = new int[starts.length];
    }

    /**
     * Splits {@code bytes[0, length)}.
     *
     * @return the number of fields
     */
    int split(byte[] bytes, int length) {
        line = bytes;
        count = 0;
        badQuoteField = -1;
        int i = 0;
        while (true) {
            while (i < length && isBlank(bytes[i])) {
                i++;
            }
            int start;
            int end;
            if (i < length && bytes[i] == '"') {
                start = ++i;
                while (i < length && !(bytes[i] == '"' && (i + 1 == length || bytes[i + 1] != '"'))) {
                    i += bytes[i] == '"' ? 2 : 1;
                }
                if (i == length) {
                    quoteProblem("has an opening quote that is not closed on this line");
                    end = length;
                } else {
                    end = i++;
                }
                while (i < length && isBlank(bytes[i])) {
                    i++;
                }
                if (i < length && bytes[i] != ',') {
                    quoteProblem("has text after its closing quote");
                    while (i < length && bytes[i] != ',') {
                        i++;
                    }
                }
            } else {
                start = i;
                while (i < length && bytes[i] != ',') {
                    i++;
                }
                end = i;
                while (end > start && isBlank(bytes[end - 1])) {
                    end--;
                }
            }
            add(start, end);
            if (i >= length) {
                return count;
            }
            i++; // the comma
        }
    }

    private void add(int start, int end) {
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, 2 * count);
            ends = java.util.Arrays.copyOf(ends, 2 * count);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    int count() {
        return count;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    private void quoteProblem(String problem) {
        if (badQuoteField < 0) {
            badQuoteField = count;
            badQuote = problem;
        }
    }

    /**
     * The first field of the last line split whose quotes are wrong, or -1. A field spanning lines
     * is not supported: its opening quote is not closed on its line.
     */
    int badQuoteField() {
        return badQuoteField;
    }

    /** What is wrong with the quotes of {@link #badQuoteField()}. */
    String badQuote() {
        return badQuote;
    }

    boolean isEmpty(int field) {
        return ends[field] == starts[field];
    }

    /** The field's value (quotes unescaped), for headers and error messages only. */
    String text(int field) {
        return new String(line, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8).replace("\"\"", "\"");
    }

    /** The value of a numeric field, exactly as {@link Double#parseDouble}; NaN if it is no number. */
    double number(int field) {
        return DecimalParser.parse(line, starts[field], ends[field]);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
