package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.session();
    private final CsvReader reader = new CsvReader(spark);

    @Test
    void valuesAreExactlyTheDoublesOfParseDouble() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            String[] fields = new String[6];
            double[] values = new double[6];
            fields[0] = Integer.toString(r % 3);
            for (int c = 1; c < fields.length; c++) {
                double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-12, 12));
                fields[c] = switch (c) {
                    case 1 -> Double.toString(v);
                    case 2 -> String.format(Locale.ROOT, "%.20e", v);
                    case 3 -> String.format(Locale.ROOT, "%.3f", v);
                    case 4 -> Integer.toString(random.nextInt(256));
                    default -> new java.math.BigDecimal(v).toPlainString();
                };
            }
            for (int c = 0; c < fields.length; c++) {
                values[c] = Double.parseDouble(fields[c]);
            }
            lines.add(String.join(",", fields));
            expected.add(values);
        }
        List<Row> rows = read(write("exact.csv", lines), ReadOptions.defaults()).frame().collectAsList();
        assertEquals(expected.size(), rows.size());
        for (int r = 0; r < rows.size(); r++) {
            double[] values = expected.get(r);
            assertEquals(values[0], rows.get(r).getDouble(1));
            double[] x = ((Vector) rows.get(r).get(0)).toArray();
            for (int c = 1; c < values.length; c++) {
                assertEquals(Double.doubleToRawLongBits(values[c]), Double.doubleToRawLongBits(x[c - 1]),
                        "row " + r + " column " + c);
            }
        }
    }

    @Test
    void quotedFieldsAndBlanksAroundThem() throws IOException {
        Path csv = write("quoted.csv", List.of("\"a,b\", \"label\" ,c", " 1.5 ,\"1\",\t\"-2\"", "\"3\",0,4"));
        LabeledData data = read(csv, ReadOptions.defaults());
        List<Row> rows = data.frame().collectAsList();
        assertEquals(2, data.featureCount());
        assertArrayEquals(new double[] {1.5, -2}, ((Vector) rows.get(0).get(0)).toArray());
        assertEquals(1.0, rows.get(0).getDouble(1));
        assertArrayEquals(new double[] {3, 4}, ((Vector) rows.get(1).get(0)).toArray());

        Path bad = write("quoted-bad.csv", List.of("\"a,b\",label", "\"x\",1"));
        assertError(bad, ReadOptions.defaults(), "quoted-bad.csv:2: column 0 ('a,b') holds 'x'; expected a finite number");
    }

    @Test
    void aDirectoryOfPartsMayRepeatTheHeaderAndHidesItsHiddenFiles() throws IOException {
        Path parts = Files.createDirectory(dir.resolve("parts"));
        Files.write(parts.resolve("part-00000.csv"), List.of("x,label", "1,0", "2,1"));
        Files.write(parts.resolve("part-00001.csv"), List.of("", "x,label", "3,0"));
        Files.write(parts.resolve("part-00002.csv"), List.of("4,1"));
        Files.write(parts.resolve("part-00003.csv"), List.of());
        Files.write(parts.resolve("_SUCCESS"), List.of());
        Files.write(parts.resolve(".part-00000.csv.crc"), List.of("\u0001garbage"));
        Files.createDirectory(parts.resolve("_temporary"));
        Files.write(parts.resolve("_temporary").resolve("part-9.csv"), List.of("not,data,at,all"));

        List<Row> rows = read(parts, ReadOptions.defaults()).frame().collectAsList();
        assertEquals(4, rows.size());
        for (int r = 0; r < 4; r++) {
            assertEquals(r + 1.0, ((Vector) rows.get(r).get(0)).apply(0));
            assertEquals(r % 2, rows.get(r).getDouble(1));
        }
        assertEquals(4, read(Path.of(parts + "/part-0000[0-2].csv"), ReadOptions.defaults()).frame().count(),
                "a glob");
    }

    @Test
    void compressedFilesGiveTheirDecompressedLineNumbers() throws IOException {
        byte[] text = "label,a\n0,1.5\r\n\n1,2.5\n1,zz\n".getBytes(StandardCharsets.UTF_8);
        Path gz = dir.resolve("data.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text);
        }
        assertError(gz, ReadOptions.defaults(), gz.toUri().toString().replace("file:///", "file:/")
                + ":5: column 1 ('a') holds 'zz'; expected a finite number");
        Path bz2 = dir.resolve("data.csv.bz2");
        BZip2Codec codec = new BZip2Codec();
        codec.setConf(spark.sparkContext().hadoopConfiguration());
        try (OutputStream out = codec.createOutputStream(Files.newOutputStream(bz2))) {
            out.write(text);
        }
        assertError(bz2, ReadOptions.defaults(), "data.csv.bz2:5: column 1 ('a') holds 'zz'; expected a finite number");
    }

    @Test
    void lineNumbersAreRightInLaterSplitsOfAFile() throws IOException {
        List<String> lines = new ArrayList<>(List.of("label,a,b"));
        for (int i = 1; i < 3000; i++) {
            lines.add(i % 2 + "," + i + "," + i * 0.5);
        }
        Path good = write("big.csv", lines);
        lines.set(2499, "1,2499,oops");
        Path bad = write("big-bad.csv", lines);
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
        try {
            LabeledData data = read(good, ReadOptions.defaults());
            assertTrue(data.frame().rdd().getNumPartitions() > 5, "several splits");
            List<Row> rows = data.frame().collectAsList();
            assertEquals(2999, rows.size(), "every line once");
            for (int i = 1; i < 3000; i++) {
                assertEquals(i, ((Vector) rows.get(i - 1).get(0)).apply(0), "row " + i + " in order");
            }
            assertError(bad, ReadOptions.defaults(), "big-bad.csv:2500: column 2 ('b') holds 'oops'");
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
    }

    @Test
    void labelsAreCheckedWhereTheyAreAndAGuessedLabelColumnIsSaid() throws IOException {
        TargetSpec twoClasses = new TargetSpec(2, Loss.CATEGORICAL_CROSS_ENTROPY);
        ReadOptions checked = ReadOptions.defaults().withTargets(twoClasses);
        Path unnamed = write("unnamed.csv", List.of("id,a", "0,1", "1,1", "2,1"));
        assertError(unnamed, checked, "unnamed.csv:4: label 2.0 is not a class index 0..1 (the output layer has 2 units) "
                + "(the label is column 0 ('id'), guessed: no column is named 'label'; choose one with --label-col)");
        String chosen = error(unnamed, checked.withLabelColumn("id"));
        assertTrue(chosen.endsWith("unnamed.csv:4: label 2.0 is not a class index 0..1 (the output layer has 2 units)"),
                chosen);
        assertEquals(3, count(unnamed, ReadOptions.defaults()), "without targets any finite label is read");

        Path named = write("named.csv", List.of("a,label", "1,0.5"));
        String fractional = error(named, checked);
        assertTrue(fractional.endsWith("named.csv:2: label 0.5 is not a class index 0..1 (the output layer has 2 units)"),
                fractional);
        assertEquals(1, count(named, ReadOptions.defaults().withTargets(new TargetSpec(1, Loss.SQUARED_ERROR))));

        Path missing = write("missing-label.csv", List.of("0,1", ",2"));
        assertError(missing, checked, "missing-label.csv:2: column 0 is empty; expected a finite number (the label is "
                + "column 0, guessed");
    }

    @Test
    void emptyAndMissingInputsAreRefusedOnTheDriver() throws IOException {
        Path empty = write("empty.csv", List.of("", "  "));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> read(empty, ReadOptions.defaults()));
        assertEquals(empty + ": the input is empty", e.getMessage());

        Path missing = dir.resolve("missing.csv");
        UnreadableInputException io = assertThrows(UnreadableInputException.class,
                () -> read(missing, ReadOptions.defaults()));
        assertEquals(missing + ": no such file or directory", io.getMessage());

        Path onlyHidden = Files.createDirectory(dir.resolve("hidden"));
        Files.write(onlyHidden.resolve("_SUCCESS"), List.of());
        e = assertThrows(InvalidDataException.class, () -> read(onlyHidden, ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("no data files"), e.getMessage());
    }

    @Test
    void lineNumbersCountEveryKindOfLineEnd() throws IOException {
        Path file = dir.resolve("ends.txt");
        Files.write(file, "a\r\nb\rc\nd".getBytes(StandardCharsets.US_ASCII));
        var conf = spark.sparkContext().hadoopConfiguration();
        long[] starts = {0, 3, 5, 7};
        for (int line = 0; line < starts.length; line++) {
            assertEquals(line + 1, TextFiles.lineNumber(conf, file.toString(), starts[line]));
        }
    }

    private LabeledData read(Path path, ReadOptions options) {
        return reader.read(path.toString(), options);
    }

    private long count(Path path, ReadOptions options) {
        return read(path, options).frame().count();
    }

    private void assertError(Path path, ReadOptions options, String expected) {
        String message = error(path, options);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
        assertTrue(message.startsWith("file:"), message);
        assertFalse(message.contains("\n"), message);
    }

    /** The message of the data error that reading all of {@code path} fails with. */
    private String error(Path path, ReadOptions options) {
        return find(assertThrows(Exception.class, () -> count(path, options))).getMessage();
    }

    /** The data error a task threw, from the job failure Spark wraps it in. */
    static InvalidDataException find(Throwable e) {
        InvalidDataException data = DataErrors.find(e);
        if (data == null) {
            throw new AssertionError("no InvalidDataException in", e);
        }
        return data;
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }
}
