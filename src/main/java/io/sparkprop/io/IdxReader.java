package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /**
     * @param targets what the labels must be, if known: each label is then checked where its
     *        index in the file can be named
     */
    static LabeledData read(SparkSession spark, String imagesPath, int partitions, Optional<TargetSpec> targets) {
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
        requireLength(conf.value(), imagesPath, 16, n, width, "images of " + imageDims[1] + "x" + imageDims[2]);
        requireLength(conf.value(), labelsPath, 8, n, 1, "labels");
        TargetSpec spec = targets.orElse(null);
        Dataset<Row> frame = spark.range(0, partitions, 1, partitions).mapPartitions(
                (MapPartitionsFunction<Long, Row>) slices -> {
                    List<Row> rows = new ArrayList<>();
                    while (slices.hasNext()) {
                        long slice = slices.next();
                        rows.addAll(readSlice(conf.value(), imagesPath, labelsPath, width,
                                n * slice / partitions, n * (slice + 1) / partitions, n, spec));
                    }
                    return rows.iterator();
                }, Encoders.row(DataLoader.SCHEMA));
        return new LabeledData(frame, width, "idx " + imagesPath + " (" + n + " images of " + imageDims[1] + "x"
                + imageDims[2] + ", labels " + labelsPath + ")");
    }

    /**
     * A plain (not compressed) file shorter than its header promises is reported here, before any
     * task reads it; a compressed one, by the task that reaches its end.
     */
    private static void requireLength(Configuration conf, String path, int headerBytes, long count, int bytesEach,
                                      String what) {
        Path p = new Path(path);
        try {
            if (new CompressionCodecFactory(conf).getCodec(p) != null) {
                return;
            }
            long length = p.getFileSystem(conf).getFileStatus(p).getLen();
            if (length < headerBytes + count * bytesEach) {
                throw new InvalidDataException(path + " is cut short: its header promises " + count + " " + what
                        + " but it holds only " + Math.max(0, (length - headerBytes) / bytesEach) + " complete ones ("
                        + length + " bytes, expected " + (headerBytes + count * bytesEach) + ")");
            }
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Checks the magic number and returns the dimensions. */
    private static int[] header(Configuration conf, String path, int expectedDims) {
        try (DataInputStream in = new DataInputStream(open(conf, path))) {
            return readHeader(in, path, expectedDims);
        } catch (java.io.FileNotFoundException e) {
            throw new UnreadableInputException(path + ": no such file" + (expectedDims == 1
                    ? " (the labels file that goes with the images file)" : ""), e);
        } catch (java.io.EOFException e) {
            throw new InvalidDataException(path + " ends inside its IDX header (" + (4 + 4 * expectedDims)
                    + " bytes); it is cut short or not an IDX file", e);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + path + ": " + e.getMessage(), e);
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

    /** Examples {@code from .. to} of the {@code n} in the files, their labels checked against {@code targets}. */
    private static List<Row> readSlice(Configuration conf, String imagesPath, String labelsPath, int width,
                                       long from, long to, long n, TargetSpec targets) {
        int count = (int) (to - from);
        byte[] pixels = new byte[count * width];
        byte[] labels = new byte[count];
        long imageBytes = readRange(conf, imagesPath, 3, from * width, pixels);
        if (imageBytes < to * width) {
            throw new InvalidDataException(imagesPath + " is cut short: its header promises " + n + " images but it "
                    + "ends after " + imageBytes / width + " complete ones");
        }
        long labelBytes = readRange(conf, labelsPath, 1, from, labels);
        if (labelBytes < to) {
            throw new InvalidDataException(labelsPath + " is cut short: its header promises " + n + " labels but it "
                    + "ends after " + labelBytes);
        }
        List<Row> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            double label = labels[r] & 0xff;
            String problem = targets == null ? null : targets.problem(label);
            if (problem != null) {
                throw new InvalidDataException(labelsPath + ": label index " + (from + r) + ": " + problem);
            }
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                x[j] = (pixels[r * width + j] & 0xff) / 255.0;
            }
            rows.add(RowFactory.create(Vectors.dense(x), label));
        }
        return rows;
    }

    /**
     * Fills {@code buffer} from the data of an IDX file, starting {@code offset} bytes after its
     * header; returns how far into the data the file reached (short of the end of the buffer when
     * the file ends early). Compressed data that ends early or is corrupt is a data error; any
     * other I/O error may be transient, for Spark to retry.
     */
    private static long readRange(Configuration conf, String path, int dims, long offset, byte[] buffer) {
        try (DataInputStream in = new DataInputStream(open(conf, path))) {
            readHeader(in, path, dims);
            long skipped = skip(in, offset);
            return skipped < offset ? skipped : skipped + in.readNBytes(buffer, 0, buffer.length);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new InvalidDataException(path + " is cut short or corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Skips up to {@code bytes} bytes and returns how many there were (fewer at the end of the stream). */
    private static long skip(InputStream in, long bytes) throws IOException {
        long skipped = 0;
        while (skipped < bytes) {
            long step = in.skip(bytes - skipped);
            if (step <= 0) {
                if (in.read() < 0) {
                    break;
                }
                step = 1;
            }
            skipped += step;
        }
        return skipped;
    }

    private static InputStream open(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        InputStream raw = p.getFileSystem(conf).open(p);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? raw : codec.createInputStream(raw);
    }
}
