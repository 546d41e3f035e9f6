package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFieldsTest {
    private final CsvFields fields = new CsvFields(2);

    private List<String> split(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        int count = fields.split(bytes, bytes.length);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(fields.text(i));
        }
        return values;
    }

    @Test
    void splitsOnCommasTrimsBlanksAndUnquotes() {
        assertEquals(List.of("1", "2,5", "a\"b", "", "x y", "é"),
                split("  1 ,\t\"2,5\" ,\"a\"\"b\",, x y ,é"));
        assertEquals(-1, fields.badQuoteField());
        assertEquals(List.of("", ""), split(","));
        assertEquals(List.of(""), split(""));
        assertEquals(List.of("1.5", "-2"), split("\"1.5\", \"-2\""));
        assertEquals(1.5, fields.number(0));
        assertEquals(-2.0, fields.number(1));
    }

    @Test
    void findsBadQuotes() {
        split("1,\"2,3");
        assertEquals(1, fields.badQuoteField());
        assertEquals("has an opening quote that is not closed on this line", fields.badQuote());
        split("1,\"2\"x,3");
        assertEquals(1, fields.badQuoteField());
        assertEquals("has text after its closing quote", fields.badQuote());
        split("1,\"2\"  ,3");
        assertEquals(-1, fields.badQuoteField());
    }
}
