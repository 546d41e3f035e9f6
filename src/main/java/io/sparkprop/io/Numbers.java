package io.sparkprop.io;

import java.util.Locale;

/**
 * Numbers as text for people: the console's reports and the library's messages (here, the lowest
 * package both {@code spark/} and {@code cli/} see; the engine computes and never formats).
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * {@code value} with {@code decimals} decimals where that reads well (magnitudes from 1e-4 to
     * 1e6, and zero), else in scientific notation with three significant digits: {@code 0.312456},
     * {@code 4.30e+220}, never the hundreds of digits a fixed format prints for a huge value.
     */
    public static String compact(double value, int decimals) {
        double magnitude = Math.abs(value);
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (magnitude == 0 || magnitude >= 1e-4 && magnitude < 1e6) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
