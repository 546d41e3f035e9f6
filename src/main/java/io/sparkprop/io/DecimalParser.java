package io.sparkprop.io;

import java.nio.charset.StandardCharsets;

/**
 * Parses plain decimal numbers ({@code [+-]digits[.digits][(e|E)[+-]digits]}, or starting with the
 * point) from ASCII bytes, without building a String, and exactly: the result is always the double
 * {@link Double#parseDouble} gives for the same text. Java's extras (hex floats, a trailing 'd' or
 * 'f', "NaN", "Infinity", surrounding spaces) are not numbers here.
 *
 * <p>Most data values have at most 18 significant digits and a small exponent: their digits fit a
 * long {@code m} and, when {@code m ≤ 2^53} and the decimal exponent {@code e} is within ±22, both
 * {@code m} and {@code 10^|e|} are exact doubles, so one multiplication or division rounds
 * correctly (Clinger's fast path). Every other number goes to {@link Double#parseDouble}.
 */
final class DecimalParser {
    private static final long EXACT_MANTISSA = 1L << 53;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final int MAX_DIGITS = 18; // 18 nines fit a long; 19 digits may not
    /** Beyond this an exponent only decides between zero and infinity; Double.parseDouble then does. */
    private static final int EXPONENT_CAP = 100_000;

    private DecimalParser() {
    }

    /**
     * The value of {@code s[from, to)}, or NaN when it is not a decimal number. Overflow gives an
     * infinity, as {@link Double#parseDouble} does.
     */
    static double parse(byte[] s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s[i] == '-' || s[i] == '+')) {
            negative = s[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0; // significant digits in mantissa
        int exponent = 0;
        boolean anyDigit = false;
        boolean exact = true; // false once digits are dropped
        for (; i < to && isDigit(s[i]); i++) {
            anyDigit = true;
            int d = s[i] - '0';
            if (digits < MAX_DIGITS) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
            } else {
                exact = false;
                exponent++;
            }
        }
        if (i < to && s[i] == '.') {
            for (i++; i < to && isDigit(s[i]); i++) {
                anyDigit = true;
                int d = s[i] - '0';
                if (digits < MAX_DIGITS) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exponent--;
                } else {
                    exact = false;
                }
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (i < to && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (s[i] == '-' || s[i] == '+')) {
                negativeExponent = s[i] == '-';
                i++;
            }
            if (i == to) {
                return Double.NaN;
            }
            int written = 0;
            for (; i < to && isDigit(s[i]); i++) {
                written = Math.min(written * 10 + (s[i] - '0'), EXPONENT_CAP);
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != to) {
            return Double.NaN;
        }
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (exact && mantissa <= EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
            double value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(s, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** {@link #parse(byte[], int, int)} of a whole string; NaN for non-ASCII text. */
    static double parse(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return Double.NaN;
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        return parse(bytes, 0, bytes.length);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
