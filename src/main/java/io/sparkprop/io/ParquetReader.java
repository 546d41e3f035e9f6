package io.sparkprop.io;

import io.sparkprop.engine.TargetSpec;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.SparkThrowable;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet input in one of two layouts: a vector column {@code features} beside a label column, or
 * numeric columns only, one of them the label. A label is a number (a class index or a target) or
 * a vector (the target vector, for multi-label classification and multi-output regression).
 *
 * <p>Every value is checked as it is read, and a bad one is an {@link InvalidDataException} naming
 * the file, the row (its 0-based index in that file, as Parquet tools count) and the column: a
 * null, NaN or infinite feature, a label that does not fit the network's {@link TargetSpec}. A
 * file that is not Parquet, or was cut short, is named too: on the driver when its end lacks
 * Parquet's magic number, else in the task that reads it.
 */
final class ParquetReader {
    private static final String FEATURES = "features";
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    /** Files whose ends the driver checks before Spark reads them; the rest are checked as they are read. */
    private static final int FILES_CHECKED_ON_DRIVER = 256;

    private ParquetReader() {
    }

    /** Reads the Parquet {@code files} of {@code path} (as {@link InputFiles} lists them). */
    static LabeledData read(SparkSession spark, String path, List<FileStatus> files, ReadOptions options) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (FileStatus file : files.subList(0, Math.min(files.size(), FILES_CHECKED_ON_DRIVER))) {
            requireParquetEnds(conf, file);
        }
        Dataset<Row> data;
        try {
            data = spark.read().parquet(path); // infers the schema from a footer, in a Spark job
        } catch (Exception e) { // Spark's exceptions are checked ones, thrown unchecked from Scala
            throw RowChecker.readFailure(e);
        }
        Layout layout = Layout.of(data.schema(), options.labelColumn(), path);
        Dataset<Row> selected = data.select(layout.columns());
        Optional<TargetSpec> targets = options.targets();
        if (!layout.vectorFeatures()) {
            return new LabeledData(selected.mapPartitions(new RowChecker(layout, targets.orElse(null), -1),
                    Encoders.row(layout.output())), layout.features().size(), "parquet " + path);
        }
        Dataset<Row> unsized = selected.mapPartitions(new RowChecker(layout, targets.orElse(null), -1),
                Encoders.row(layout.output()));
        List<Row> first = unsized.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InvalidDataException(path + ": the input is empty");
        }
        int width = ((Vector) first.get(0).get(0)).size();
        Dataset<Row> frame = selected.mapPartitions(new RowChecker(layout, targets.orElse(null), width),
                Encoders.row(layout.output()));
        return new LabeledData(frame, width, "parquet " + path);
    }

    /** A Parquet file starts and ends with "PAR1"; a truncated one, or another format, does not. */
    private static void requireParquetEnds(Configuration conf, FileStatus file) {
        long length = file.getLen();
        byte[] head = new byte[MAGIC.length];
        byte[] tail = new byte[MAGIC.length];
        try (FSDataInputStream in = file.getPath().getFileSystem(conf).open(file.getPath())) {
            if (length >= 2L * MAGIC.length + 4) {
                in.readFully(0, head);
                in.readFully(length - MAGIC.length, tail);
            }
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + file.getPath() + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new InvalidDataException(file.getPath() + ": not a Parquet file (it does not start with Parquet's "
                    + "magic number PAR1)");
        }
        if (!Arrays.equals(tail, MAGIC)) {
            throw new InvalidDataException(file.getPath() + ": a truncated Parquet file (it does not end with Parquet's "
                    + "magic number PAR1, so its footer is missing)");
        }
    }

    /**
     * Which columns hold the features and the label.
     *
     * @param features the numeric feature columns, or {@code {"features"}} for a vector column
     * @param labelGuess appended to label problems when the label column was guessed (see
     *        {@link LabelColumn#guessNote()}), else empty
     */
    record Layout(List<String> features, boolean vectorFeatures, String label, boolean vectorLabel,
                  String labelGuess) implements Serializable {
        static Layout of(StructType schema, Optional<String> labelColumn, String path) {
            List<String> names = Arrays.asList(schema.fieldNames());
            boolean vectorFeatures = names.contains(FEATURES)
                    && schema.apply(FEATURES).dataType() instanceof VectorUDT;
            if (vectorFeatures && labelColumn.isEmpty() && !names.contains("label")) {
                throw new InvalidDataException(path + ": no label column 'label' (columns: " + String.join(", ", names)
                        + "); name it with --label-col");
            }
            LabelColumn chosen = LabelColumn.choose(labelColumn, schema.fieldNames(), names.size(), path);
            String label = chosen.name();
            DataType labelType = schema.apply(label).dataType();
            if (!(labelType instanceof NumericType || labelType instanceof VectorUDT)) {
                throw new InvalidDataException(path + ": the label column '" + label + "' is "
                        + labelType.simpleString() + "; expected numbers or vectors");
            }
            List<String> features = new ArrayList<>();
            if (vectorFeatures) {
                features.add(FEATURES);
            } else {
                for (StructField f : schema.fields()) {
                    if (f.name().equals(label)) {
                        continue;
                    }
                    if (!(f.dataType() instanceof NumericType)) {
                        throw new InvalidDataException(path + ": column '" + f.name() + "' is "
                                + f.dataType().simpleString() + "; expected numbers only, or a vector column 'features'");
                    }
                    features.add(f.name());
                }
                if (features.isEmpty()) {
                    throw new InvalidDataException(path + ": only the label column '" + label
                            + "'; expected at least one feature column");
                }
            }
            return new Layout(List.copyOf(features), vectorFeatures, label, labelType instanceof VectorUDT,
                    chosen.guessNote());
        }

        /** Features (cast to double), the label, and where each row comes from. */
        Column[] columns() {
            List<Column> columns = new ArrayList<>();
            for (String f : features) {
                Column c = functions.col(quoted(f));
                columns.add(vectorFeatures ? c : c.cast(DataTypes.DoubleType));
            }
            Column l = functions.col(quoted(label));
            columns.add(vectorLabel ? l : l.cast(DataTypes.DoubleType));
            columns.add(functions.col("_metadata.file_path"));
            columns.add(functions.col("_metadata.row_index"));
            return columns.toArray(Column[]::new);
        }

        StructType output() {
            return new StructType(new StructField[] {
                new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
                new StructField("label", vectorLabel ? SQLDataTypes.VectorType() : DataTypes.DoubleType, false,
                        Metadata.empty())});
        }

        private static String quoted(String name) {
            return "`" + name.replace("`", "``") + "`";
        }
    }

    /** Turns the selected columns into (features, label) rows, failing on the first bad value. */
    private static final class RowChecker implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Layout layout;
        private final TargetSpec targets;
        private final int width;

        /** @param width the feature vectors' width, or -1 to take each as it comes */
        RowChecker(Layout layout, TargetSpec targets, int width) {
            this.layout = layout;
            this.targets = targets;
            this.width = width;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    try {
                        return rows.hasNext();
                    } catch (Exception e) { // Spark's exceptions are checked ones, thrown unchecked from Scala
                        throw readFailure(e);
                    }
                }

                @Override
                public Row next() {
                    Row row;
                    try {
                        row = rows.next();
                    } catch (Exception e) { // Spark's exceptions are checked ones, thrown unchecked from Scala
                        throw readFailure(e);
                    }
                    return check(row);
                }
            };
        }

        private Row check(Row row) {
            int n = layout.features().size();
            String file = row.getString(n + 1);
            long index = row.getLong(n + 2);
            Vector features;
            if (layout.vectorFeatures()) {
                features = vector(row.get(0), file, index);
            } else {
                double[] x = new double[n];
                for (int c = 0; c < n; c++) {
                    if (row.isNullAt(c)) {
                        throw bad(file, index, layout.features().get(c), "is null; expected a number");
                    }
                    x[c] = row.getDouble(c);
                    if (!Double.isFinite(x[c])) {
                        throw bad(file, index, layout.features().get(c), "holds " + x[c] + "; expected a finite number");
                    }
                }
                features = Vectors.dense(x);
            }
            Object label = row.get(n);
            if (label == null) {
                throw badLabel(file, index, "the label is missing (null)");
            }
            String problem;
            if (label instanceof Vector v) {
                problem = targets != null ? targets.problem(v.toArray()) : nonFinite(v);
            } else {
                double y = (Double) label;
                problem = targets != null ? targets.problem(y)
                        : Double.isFinite(y) ? null : "label " + y + " is not a finite number";
            }
            if (problem != null) {
                throw badLabel(file, index, problem);
            }
            return RowFactory.create(features, label);
        }

        private Vector vector(Object value, String file, long index) {
            if (value == null) {
                throw bad(file, index, FEATURES, "is null; expected a vector of numbers");
            }
            Vector v = (Vector) value;
            if (width >= 0 && v.size() != width) {
                throw bad(file, index, FEATURES, "has " + v.size() + " values; the first row has " + width);
            }
            String problem = nonFinite(v);
            if (problem != null) {
                throw bad(file, index, FEATURES, problem);
            }
            return v;
        }

        /** Why a vector has a value that is not finite, or null when all are finite. */
        private static String nonFinite(Vector v) {
            double[] values = v instanceof org.apache.spark.ml.linalg.SparseVector s ? s.values() : v.toDense().values();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    int position = v instanceof org.apache.spark.ml.linalg.SparseVector s ? s.indices()[i] : i;
                    return "holds " + values[i] + " at position " + position + "; expected finite numbers";
                }
            }
            return null;
        }

        private static InvalidDataException bad(String file, long index, String column, String what) {
            return new InvalidDataException(file + ": row index " + index + ", column '" + column + "' " + what);
        }

        private InvalidDataException badLabel(String file, long index, String problem) {
            return new InvalidDataException(file + ": row index " + index + ", label column '" + layout.label() + "': "
                    + problem + layout.labelGuess());
        }

        /**
         * A failure to read a Parquet file as the user should see it: a data error naming the file
         * when retrying cannot help (a corrupt or truncated file, a column of another type than in
         * the schema), an {@link UnreadableInputException} naming it for an I/O error (Spark
         * retries it), any other failure as it is.
         */
        static RuntimeException readFailure(Exception failure) {
            SparkThrowable read = null;
            Throwable root = failure;
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof InvalidDataException || t instanceof UnreadableInputException) {
                    return (RuntimeException) t;
                }
                if (read == null && t instanceof SparkThrowable s && s.getCondition() != null
                        && s.getCondition().startsWith("FAILED_READ_FILE")) {
                    read = s;
                }
                root = t;
            }
            if (read == null) {
                return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            }
            String file = read.getMessageParameters().get("path");
            if (root instanceof IOException && !(root instanceof EOFException)) {
                return new UnreadableInputException("cannot read " + file + ": " + root.getMessage(), failure);
            }
            return new InvalidDataException(file + ": cannot be read as Parquet: " + reason(read, root), failure);
        }

        /** What Spark says after "Encountered error while reading file ...", else the root cause's message. */
        private static String reason(SparkThrowable read, Throwable root) {
            String message = ((Throwable) read).getMessage();
            String file = read.getMessageParameters().get("path");
            int start = message.indexOf(file + ".");
            String said = start < 0 ? ""
                    : message.substring(start + file.length() + 1).replaceAll("\\s*SQLSTATE: \\w+\\s*$", "").trim();
            return said.isEmpty() ? root.getMessage() : said;
        }
    }
}
