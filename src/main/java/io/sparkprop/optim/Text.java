package io.sparkprop.optim;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Names and numbers as the {@code describe()} strings and the command line spell them. */
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

    /** {@code name(key=value, ...)}, or just {@code name} without parameters. */
    static String call(String name, Map<String, Double> parameters) {
        if (parameters.isEmpty()) {
            return name;
        }
        StringJoiner text = new StringJoiner(", ", name + "(", ")");
        parameters.forEach((key, value) -> text.add(key + "=" + number(value)));
        return text.toString();
    }

    /** The lower-case name of an enum constant: the id the command line and the metadata use. */
    static String id(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant named {@code name}, whatever its case.
     *
     * @param what what the name names, for the message, e.g. "optimizer"
     * @throws IllegalArgumentException naming the unknown name and the expected ones
     */
    static <E extends Enum<E>> E parse(Class<E> constants, String name, String what) {
        for (E constant : constants.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(name)) {
                return constant;
            }
        }
        E[] all = constants.getEnumConstants();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            expected.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(id(all[i]));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "' (expected " + expected + ")");
    }
}
