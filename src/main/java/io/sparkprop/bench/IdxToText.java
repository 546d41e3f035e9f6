package io.sparkprop.bench;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Writes an MNIST-family training set (IDX images and labels, gzipped) as CSV (header
 * {@code label,pixel1..pixelN}, the label first, pixels 0..255 as in Kaggle's copies) and as
 * LIBSVM (non-zero pixels only): the same data in the text formats, for the ingest benchmark
 * ({@code scripts/bench-ingest.sh}).
 *
 * <pre>java -cp target/sparkprop.jar io.sparkprop.bench.IdxToText IMAGES.gz LABELS.gz OUT.csv OUT.libsvm</pre>
 */
public final class IdxToText {
    private IdxToText() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: IdxToText IMAGES-idx3-ubyte.gz LABELS-idx1-ubyte.gz OUT.csv OUT.libsvm");
            System.exit(2);
        }
        try (DataInputStream images = open(Path.of(args[0]));
             DataInputStream labels = open(Path.of(args[1]));
             Writer csv = writer(Path.of(args[2]));
             Writer libsvm = writer(Path.of(args[3]))) {
            images.readInt();
            int n = images.readInt();
            int width = images.readInt() * images.readInt();
            labels.readInt();
            labels.readInt();
            StringBuilder line = new StringBuilder("label");
            for (int j = 1; j <= width; j++) {
                line.append(",pixel").append(j);
            }
            csv.write(line.append('\n').toString());
            byte[] pixels = new byte[width];
            StringBuilder sparse = new StringBuilder();
            for (int i = 0; i < n; i++) {
                images.readFully(pixels);
                int label = labels.readUnsignedByte();
                line.setLength(0);
                sparse.setLength(0);
                line.append(label);
                sparse.append(label);
                for (int j = 0; j < width; j++) {
                    int p = pixels[j] & 0xff;
                    line.append(',').append(p);
                    if (p != 0) {
                        sparse.append(' ').append(j + 1).append(':').append(p);
                    }
                }
                csv.write(line.append('\n').toString());
                libsvm.write(sparse.append('\n').toString());
            }
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII), 1 << 20);
    }
}
