package io.sparkprop.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The IDX format of the MNIST family: an images file ({@code ...-images-idx3-ubyte}, unsigned
 * bytes, dimensions N × rows × columns) and beside it a labels file ({@code ...-labels-idx1-ubyte},
 * N unsigned bytes), either gzipped or not. Pixels become features scaled to [0, 1] (byte / 255),
 * in row-major order; labels are the class indices.
 *
 * <p>The driver reads only the headers; each partition opens the files itself and reads its own
 * slice of examples (seeking in plain files, decompressing up to its slice in gzipped ones), so no
 * data passes through the driver and any Hadoop path works.
 */
final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** The labels file that goes with an images file, by the MNIST naming convention. */
    static String labelsPathFor(String imagesPath) {
        int slash = imagesPath.lastIndexOf('/') + 1;
        String name = imagesPath.substring(slash);
        if (!name.contains("images-idx3-ubyte")) {
            throw new InvalidDataException(imagesPath + ": an IDX input is the images file, named like "
                    + "train-images-idx3-ubyte[.gz], with its labels beside it in train-labels-idx1-ubyte[.gz]");
        }
        return imagesPath.substring(0, slash) + name.replace("images-idx3-ubyte", "labels-idx1-ubyte");
    }

    static LabeledData read(SparkSession spark, String imagesPath, int partitions) {
        String labelsPath = labelsPathFor(imagesPath);
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        int[] imageDims = header(conf.value(), imagesPath, 3);
        int[] labelDims = header(conf.value(), labelsPath, 1);
        long n = imageDims[0];
        if (labelDims[0] != n) {
            throw new InvalidDataException(labelsPath + " has " + labelDims[0] + " labels but " + imagesPath + " has "
                    + n + " images");
        }
        int width = imageDims[1] * imageDims[2];
        Dataset<Row> frame = spark.range(0, partitions, 1, partitions).mapPartitions(
                (MapPartitionsFunction<Long, Row>) slices -> {
                    List<Row> rows = new ArrayList<>();
                    while (slices.hasNext()) {
                        long slice = slices.next();
                        rows.addAll(readSlice(conf.value(), imagesPath, labelsPath, width,
                                n * slice / partitions, n * (slice + 1) / partitions));
                    }
                    return rows.iterator();
                }, Encoders.row(DataLoader.SCHEMA));
        return new LabeledData(frame, width, "idx " + imagesPath + " (" + n + " images of " + imageDims[1] + "x"
                + imageDims[2] + ", labels " + labelsPath + ")");
    }

    /** Checks the magic number and returns the dimensions. */
    private static int[] header(Configuration conf, String path, int expectedDims) {
        try (DataInputStream in = new DataInputStream(open(conf, path))) {
            return readHeader(in, path, expectedDims);
        } catch (IOException e) {
            throw new InvalidDataException("cannot read IDX file " + path + ": " + e.getMessage(), e);
        }
    }

    private static int[] readHeader(DataInputStream in, String path, int expectedDims) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff;
        int dims = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dims != expectedDims) {
            throw new InvalidDataException(String.format("%s: IDX magic number 0x%08x; expected 0x%08x "
                    + "(unsigned bytes, %d dimension%s)", path, magic, (UNSIGNED_BYTE << 8) | expectedDims, expectedDims,
                    expectedDims == 1 ? "" : "s"));
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = in.readInt();
        }
        return sizes;
    }

    private static List<Row> readSlice(Configuration conf, String imagesPath, String labelsPath, int width,
                                       long from, long to) throws IOException {
        int count = (int) (to - from);
        byte[] pixels = new byte[count * width];
        byte[] labels = new byte[count];
        try (DataInputStream images = new DataInputStream(open(conf, imagesPath));
             DataInputStream labelStream = new DataInputStream(open(conf, labelsPath))) {
            readHeader(images, imagesPath, 3);
            readHeader(labelStream, labelsPath, 1);
            images.skipNBytes(from * width);
            images.readFully(pixels);
            labelStream.skipNBytes(from);
            labelStream.readFully(labels);
        } catch (java.io.EOFException e) {
            throw new InvalidDataException(imagesPath + " or " + labelsPath + " ends before the sizes its header gives");
        }
        List<Row> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                x[j] = (pixels[r * width + j] & 0xff) / 255.0;
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) (labels[r] & 0xff)));
        }
        return rows;
    }

    private static InputStream open(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        InputStream raw = p.getFileSystem(conf).open(p);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? raw : codec.createInputStream(raw);
    }
}
