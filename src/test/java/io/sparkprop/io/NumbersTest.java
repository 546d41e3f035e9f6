package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void compactKeepsDecimalsWhereTheyReadWellAndScientificElsewhere() {
        assertEquals("0.312456", Numbers.compact(0.3124561, 6));
        assertEquals("0.0000", Numbers.compact(0.0, 4));
        assertEquals("999999.5", Numbers.compact(999_999.5, 1));
        assertEquals("4.30e+220", Numbers.compact(4.3e220, 6));
        assertEquals("-1.00e+06", Numbers.compact(-1e6, 6));
        assertEquals("5.00e-05", Numbers.compact(5e-5, 6));
        assertEquals("NaN", Numbers.compact(Double.NaN, 6));
        assertEquals("Infinity", Numbers.compact(Double.POSITIVE_INFINITY, 6));
    }
}
