package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the LIBSVM format, {@code label index:value index:value ...} per line with 1-based,
 * strictly increasing indices, into {@link LabeledData} with sparse feature vectors. Lines starting
 * with '#' are comments, and a '#' item ends a line. The number of features is the model's width
 * when it is known, else the largest index (found in a first pass over the data, as Spark's
 * "libsvm" source does). Every item is checked, and a bad one fails the job with an
 * {@link InvalidDataException} naming the file and line number:
 * {@code file:/d/a9a.libsvm:17: index 3 follows index 7; indices must be strictly increasing}.
 */
final class LibsvmReader {
    private final SparkSession spark;

    LibsvmReader(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * @param options its features, when given, are the model's input width (a larger index is an
     *        error) and its targets what the labels must be; its label column does not apply
     */
    LabeledData read(String path, ReadOptions options) {
        TextFiles files = TextFiles.list(spark, path);
        OptionalInt width = options.features();
        TargetSpec targets = options.targets().orElse(null);
        int limit = width.orElse(Integer.MAX_VALUE);
        JavaRDD<SparseRow> parsed = files.parse(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                () -> new LineParser(limit, targets));
        int features = width.isPresent() ? width.getAsInt() : largestIndex(parsed, path);
        JavaRDD<Row> rows = parsed.map(r -> RowFactory.create(Vectors.sparse(features, r.indices(), r.values()),
                r.label()));
        return new LabeledData(spark.createDataFrame(rows, DataLoader.SCHEMA), features, "libsvm " + path);
    }

    /** The largest 1-based index in the data: one pass over it, which also checks every line. */
    private static int largestIndex(JavaRDD<SparseRow> rows, String path) {
        long[] found = DataErrors.rethrowing(() -> rows.mapPartitions(partition -> {
            long[] maxAndCount = new long[2];
            while (partition.hasNext()) {
                int[] indices = partition.next().indices();
                maxAndCount[0] = Math.max(maxAndCount[0], indices.length == 0 ? 0 : indices[indices.length - 1] + 1);
                maxAndCount[1]++;
            }
            return List.of(maxAndCount).iterator();
        }).reduce((a, b) -> new long[] {Math.max(a[0], b[0]), a[1] + b[1]}));
        if (found[1] == 0) {
            throw new InvalidDataException(path + ": the input is empty");
        }
        if (found[0] == 0) {
            throw new InvalidDataException(path + ": no line has an index:value item; expected at least one feature");
        }
        return (int) found[0];
    }

    /** One line's label and items, with 0-based indices. */
    private record SparseRow(double label, int[] indices, double[] values) {
    }

    /** Parses the lines of one partition; keeps its item buffers from line to line. */
    private static final class LineParser implements TextFiles.LineParser<SparseRow> {
        private final int width;
        private final TargetSpec targets;
        private int[] indices = new int[64];
        private double[] values = new double[64];

        /** @param targets what labels must be, or null to accept any finite number */
        LineParser(int width, TargetSpec targets) {
            this.width = width;
            this.targets = targets;
        }

        @Override
        public SparseRow parse(TextFiles.Line line) {
            byte[] b = line.bytes();
            int n = line.length();
            int i = skipBlanks(b, 0, n);
            if (b[i] == '#') {
                return null;
            }
            int end = tokenEnd(b, i, n);
            double label = DecimalParser.parse(b, i, end);
            if (!Double.isFinite(label)) {
                throw line.error("the label '" + text(b, i, end) + "' is not a finite number");
            }
            if (targets != null) {
                String problem = targets.problem(label);
                if (problem != null) {
                    throw line.error(problem);
                }
            }
            int count = 0;
            int previous = 0;
            for (i = skipBlanks(b, end, n); i < n && b[i] != '#'; i = skipBlanks(b, end, n)) {
                end = tokenEnd(b, i, n);
                int colon = i;
                while (colon < end && b[colon] != ':') {
                    colon++;
                }
                if (colon == end) {
                    throw line.error("item '" + text(b, i, end) + "' is not index:value");
                }
                int index = index(b, i, colon);
                if (index <= 0) {
                    throw line.error("item '" + text(b, i, end) + "': " + (index == 0 ? "index 0" : "the index '"
                            + text(b, i, colon) + "' is not a positive integer") + "; indices are 1-based");
                }
                if (index <= previous) {
                    throw line.error(index == previous ? "index " + index + " repeats; indices must be strictly "
                            + "increasing" : "index " + index + " follows index " + previous + "; indices must be "
                            + "strictly increasing");
                }
                if (index > width) {
                    throw line.error("index " + index + " is beyond the " + width + " features the model takes");
                }
                double value = DecimalParser.parse(b, colon + 1, end);
                if (!Double.isFinite(value)) {
                    throw line.error("index " + index + " holds '" + text(b, colon + 1, end) + "'; expected a finite "
                            + "number");
                }
                if (count == indices.length) {
                    indices = Arrays.copyOf(indices, 2 * count);
                    values = Arrays.copyOf(values, 2 * count);
                }
                indices[count] = index - 1;
                values[count] = value;
                count++;
                previous = index;
            }
            return new SparseRow(label, Arrays.copyOf(indices, count), Arrays.copyOf(values, count));
        }

        /** The positive decimal integer in {@code b[from, to)}, or -1 if it is none (or too large). */
        private static int index(byte[] b, int from, int to) {
            if (from == to || to - from > 10) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return -1;
                }
                value = value * 10 + (b[i] - '0');
            }
            return value > Integer.MAX_VALUE ? -1 : (int) value;
        }

        private static int skipBlanks(byte[] b, int i, int n) {
            while (i < n && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            return i;
        }

        private static int tokenEnd(byte[] b, int i, int n) {
            while (i < n && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            return i;
        }

        private static String text(byte[] b, int from, int to) {
            return TextFiles.shorten(new String(b, from, to - from, StandardCharsets.UTF_8));
        }
    }
}
