package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Loss;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibsvmReaderTest {
    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.session();
    private final LibsvmReader reader = new LibsvmReader(spark);

    @Test
    void readsSparseRowsWithTheLargestIndexAsWidth() throws IOException {
        Path file = write("small.libsvm", "# a comment", "1 1:0.5 3:2", "", "0\t2:-1e-3   7:4 # trailing comment",
                "+1 1:0.1", "-0 ");
        LabeledData data = reader.read(file.toString(), ReadOptions.defaults());
        assertEquals(7, data.featureCount());
        List<Row> rows = data.frame().collectAsList();
        assertEquals(4, rows.size());
        SparseVector second = (SparseVector) rows.get(1).get(0);
        assertEquals(7, second.size());
        assertArrayEquals(new int[] {1, 6}, second.indices());
        assertArrayEquals(new double[] {-1e-3, 4}, second.values());
        assertEquals(0.0, rows.get(1).getDouble(1));
        assertEquals(1.0, rows.get(2).getDouble(1));
        assertEquals(0, ((SparseVector) rows.get(3).get(0)).indices().length);
    }

    @Test
    void aKnownWidthIsKeptAndALargerIndexIsAnError() throws IOException {
        Path file = write("wide.libsvm", "1 1:0.5", "0 2:1 4:1");
        assertEquals(5, reader.read(file.toString(), ReadOptions.defaults().withFeatures(5)).frame().collectAsList().get(1)
                .<SparseVector>getAs(0).size());
        Exception e = assertThrows(Exception.class,
                () -> reader.read(file.toString(), ReadOptions.defaults().withFeatures(3)).frame().count());
        assertTrue(CsvReaderTest.find(e).getMessage().endsWith("wide.libsvm:2: index 4 is beyond the 3 features the "
                + "model takes"), e.getMessage());
    }

    @Test
    void labelsAreCheckedOnTheirLine() throws IOException {
        Path file = write("labels.libsvm", "1 1:0.5", "-1 2:1");
        TargetSpec binary = new TargetSpec(1, Loss.BINARY_CROSS_ENTROPY);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> reader.read(file.toString(), ReadOptions.defaults().withTargets(binary)));
        assertTrue(e.getMessage().endsWith("labels.libsvm:2: label -1.0 is not in [0, 1], as binary cross-entropy "
                + "needs"), e.getMessage());
    }

    @Test
    void lineNumbersAreRightInLaterSplits() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3000; i++) {
            lines.add(i % 2 + " 1:" + i + " 2:0.5");
        }
        lines.set(2199, "1 2:1 1:1");
        Path file = write("big.libsvm", lines.toArray(String[]::new));
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
        try {
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> reader.read(file.toString(), ReadOptions.defaults()));
            assertTrue(e.getMessage().endsWith("big.libsvm:2200: index 1 follows index 2; indices must be strictly "
                    + "increasing"), e.getMessage());
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
    }

    @Test
    void anInputWithoutFeaturesIsRefused() throws IOException {
        Path file = write("labels-only.libsvm", "1", "0");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> reader.read(file.toString(), ReadOptions.defaults()));
        assertTrue(e.getMessage().endsWith("no line has an index:value item; expected at least one feature"),
                e.getMessage());
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }
}
