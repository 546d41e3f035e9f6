package io.sparkprop.optim;

/** Number formatting for the {@code describe()} strings. */
final class Text {
    private Text() {
    }

    /**
     * Java's shortest round-tripping form without a redundant ".0" (1.0 → "1", 1.0E-8 → "1E-8",
     * 0.999 → "0.999"), so that a logged value can be pasted back into the command line unchanged.
     */
    static String number(double x) {
        return Double.toString(x).replaceFirst("\\.0(?=E|$)", "");
    }
}
