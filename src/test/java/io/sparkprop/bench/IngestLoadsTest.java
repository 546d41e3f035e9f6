package io.sparkprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Block;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.DataFormat;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's variants load the same data: same rows, same sums, and where they split alike, the same blocks. */
class IngestLoadsTest {
    private static final int WIDTH = 6;

    @TempDir
    Path dir;

    private final SparkSession spark = LocalSpark.session();
    private final Network network = Network.parse("relu(4)|softmax(3)", WIDTH);
    private Path csv;
    private Path libsvm;
    private double pixelSum;
    private double labelSum;

    /** 50 rows of pixels 0..255, about half of them zero, as CSV with a header and as LIBSVM. */
    @BeforeEach
    void write() throws IOException {
        Random random = new Random(7);
        StringBuilder header = new StringBuilder("label");
        for (int j = 1; j <= WIDTH; j++) {
            header.append(",pixel").append(j);
        }
        List<String> csvLines = new ArrayList<>(List.of(header.toString()));
        List<String> libsvmLines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int label = random.nextInt(3);
            labelSum += label;
            StringBuilder dense = new StringBuilder().append(label);
            StringBuilder sparse = new StringBuilder().append(label);
            for (int j = 1; j <= WIDTH; j++) {
                int p = random.nextBoolean() || j == WIDTH && i == 0 ? 1 + random.nextInt(255) : 0;
                pixelSum += p;
                dense.append(',').append(p);
                if (p != 0) {
                    sparse.append(' ').append(j).append(':').append(p);
                }
            }
            csvLines.add(dense.toString());
            libsvmLines.add(sparse.toString());
        }
        csv = Files.write(dir.resolve("data.csv"), csvLines);
        libsvm = Files.write(dir.resolve("data.libsvm"), libsvmLines);
    }

    @Test
    void everyVariantCachesTheSameRows() throws IOException {
        IngestLoads loads = new IngestLoads(spark, network, new TrainCache(network, 16, Precision.FLOAT32, 1));
        StructType doubles = IngestLoads.csvSchema(csv, DataTypes.DoubleType);
        StructType ints = IngestLoads.csvSchema(csv, DataTypes.IntegerType);
        assertEquals(WIDTH + 1, doubles.size());
        List<IngestLoads.Loaded> all = List.of(loads.ours(csv.toString(), DataFormat.CSV),
                loads.sparkCsvBlocks(csv.toString(), doubles), loads.sparkCsvBlocks(csv.toString(), ints),
                loads.sparkCsvFrame(csv.toString(), doubles), loads.ours(libsvm.toString(), DataFormat.LIBSVM),
                loads.sparkLibsvmBlocks(libsvm.toString(), WIDTH), loads.sparkLibsvmBlocks(libsvm.toString(), 0));
        try {
            for (IngestLoads.Loaded loaded : all) {
                assertEquals(50, loaded.rows());
                assertEquals(1, loaded.partitions());
                assertArrayEquals(new double[] {pixelSum, labelSum}, loaded.checksum(), 0.0);
            }
            // One partition each: the readers must give train the very same blocks.
            List<Block> ours = blocks(all.get(0));
            assertEquals(4, ours.size()); // 50 rows in blocks of 16
            for (IngestLoads.Loaded other : List.of(all.get(1), all.get(2), all.get(4), all.get(5), all.get(6))) {
                List<Block> theirs = blocks(other);
                assertEquals(ours.size(), theirs.size());
                for (int b = 0; b < ours.size(); b++) {
                    assertArrayEquals(ours.get(b).features32(), theirs.get(b).features32());
                    assertArrayEquals(ours.get(b).targets32(), theirs.get(b).targets32());
                }
            }
        } finally {
            all.forEach(IngestLoads.Loaded::close);
        }
    }

    @Test
    void refusesAFrameThatTrainWouldRepartition() {
        IngestLoads loads = new IngestLoads(spark, network, new TrainCache(network, 16, Precision.FLOAT32, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loads.ours(csv.toString(), DataFormat.CSV));
        assertTrue(e.getMessage().contains("has 1 partitions"), e.getMessage());
    }

    private static List<Block> blocks(IngestLoads.Loaded loaded) {
        return ((TrainCache.Cached) loaded).blocks().collect();
    }
}
