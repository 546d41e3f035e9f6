package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final int N = 7;

    @TempDir
    Path dir;

    /** Image i has pixel j = (i * 6 + j) % 256 and label i % 3; images are 2 × 3. */
    private void writeIdx(String prefix, boolean gzip, int labelCount) throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream img = new DataOutputStream(images);
        img.writeInt(0x00000803);
        img.writeInt(N);
        img.writeInt(2);
        img.writeInt(3);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 6; j++) {
                img.writeByte((i * 6 + j) * 37 % 256);
            }
        }
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream lab = new DataOutputStream(labels);
        lab.writeInt(0x00000801);
        lab.writeInt(labelCount);
        for (int i = 0; i < labelCount; i++) {
            lab.writeByte(i % 3);
        }
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), images.toByteArray(), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), labels.toByteArray(), gzip);
    }

    private static void write(Path path, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(path)) : Files.newOutputStream(path)) {
            out.write(bytes);
        }
    }

    @Test
    void readsGzippedAndPlainFilesInSlicesScaledToUnitRange() throws IOException {
        writeIdx("train", true, N);
        writeIdx("plain", false, N);
        for (String name : List.of("train-images-idx3-ubyte.gz", "plain-images-idx3-ubyte")) {
            String path = dir.resolve(name).toString();
            LabeledData data = new DataLoader(LocalSpark.session()).load(path, DataFormat.detect(path), Optional.empty());
            assertEquals(6, data.featureCount());
            List<Row> rows = data.frame().collectAsList();
            assertEquals(N, rows.size());
            for (int i = 0; i < N; i++) {
                double[] expected = new double[6];
                for (int j = 0; j < 6; j++) {
                    expected[j] = ((i * 6 + j) * 37 % 256) / 255.0;
                }
                assertArrayEquals(expected, ((Vector) rows.get(i).get(0)).toArray(), name + " image " + i);
                assertEquals(i % 3, rows.get(i).getDouble(1), name + " label " + i);
            }
        }
    }

    @Test
    void mismatchedOrMisnamedFilesAreReported() throws IOException {
        writeIdx("short", false, N - 1);
        DataLoader loader = new DataLoader(LocalSpark.session());
        String path = dir.resolve("short-images-idx3-ubyte").toString();
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> loader.load(path, DataFormat.IDX, Optional.empty()));
        assertTrue(e.getMessage().contains("has 6 labels but"), e.getMessage());

        String labels = dir.resolve("short-labels-idx1-ubyte").toString();
        e = assertThrows(InvalidDataException.class, () -> loader.load(labels, DataFormat.IDX, Optional.empty()));
        assertTrue(e.getMessage().contains("an IDX input is the images file"), e.getMessage());

        Files.write(dir.resolve("bad-images-idx3-ubyte"), new byte[] {0, 0, 9, 3, 0, 0, 0, 1});
        Files.copy(dir.resolve("short-labels-idx1-ubyte"), dir.resolve("bad-labels-idx1-ubyte"));
        e = assertThrows(InvalidDataException.class,
                () -> loader.load(dir.resolve("bad-images-idx3-ubyte").toString(), DataFormat.IDX, Optional.empty()));
        assertTrue(e.getMessage().contains("IDX magic number 0x00000903; expected 0x00000803"), e.getMessage());
    }
}
