package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalParserTest {
    @Test
    void givesExactlyTheDoublesOfParseDouble() {
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "+0.0", "0.000", "1", "-1", "+7", ".5", "5.", "-.25",
                "00012.50", "1e0", "1E+2", "1e-2", "-3.5E-7", "9007199254740992", "9007199254740993",
                "9007199254740994.5", "0.1", "0.2", "0.3", "1e22", "1e23", "123456789e-22", "123456789012345678901234",
                "0.00000000000000000000000000001", "4.9e-324", "2e-324", "1e-400", "2.2250738585072011e-308",
                "2.2250738585072012e-308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e999",
                "0.00392156862745098", "0.9019607843137255", "0.5019607843137255", "1e100000000000",
                "1e-100000000000", "99999999999999999999.9999999999e-10"));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30));
                case 2 -> Double.longBitsToDouble(random.nextLong());
                default -> random.nextInt(256) / 255.0;
            };
            if (!Double.isFinite(value)) {
                continue;
            }
            numbers.add(Double.toString(value));
            numbers.add(String.format(Locale.ROOT, "%." + random.nextInt(1, 25) + "g", value));
            numbers.add(new BigDecimal(value).toPlainString()); // every digit of the binary value
            numbers.add(randomDigits(random));
        }
        for (String s : numbers) {
            double expected = Double.parseDouble(s);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(DecimalParser.parse(s)),
                    () -> s + " should be " + expected + ", not " + DecimalParser.parse(s));
        }
    }

    /** Up to 25 digits, with a point somewhere or not, and an exponent or not. */
    private static String randomDigits(SplittableRandom random) {
        StringBuilder s = new StringBuilder(random.nextBoolean() ? "" : "-");
        int digits = random.nextInt(1, 26);
        int point = random.nextInt(-1, digits + 1);
        for (int d = 0; d < digits; d++) {
            if (d == point) {
                s.append('.');
            }
            s.append((char) ('0' + random.nextInt(10)));
        }
        if (random.nextBoolean()) {
            s.append('e').append(random.nextInt(-340, 320));
        }
        return s.toString();
    }

    @Test
    void javasExtrasAndMalformedTextAreNotNumbers() {
        for (String s : List.of("", ".", "-", "+", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", "--1", "+-1", "0x1p3", "1d",
                "1f", "1D", "NaN", "Infinity", "-Infinity", " 1", "1 ", "1,5", "1e5.5", "1ee5", "١", "½")) {
            assertTrue(Double.isNaN(DecimalParser.parse(s)), () -> "'" + s + "' is not a plain decimal number");
        }
    }
}
