package io.sparkprop.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads examples from any path Spark can read (local, HDFS, S3) into {@link LabeledData}. Values
 * are checked as the rows are read: a bad value fails the job with an {@link InvalidDataException}
 * naming the file, the column and what was expected. The path is checked on the driver first: a
 * missing one is an {@link UnreadableInputException}, an empty directory bad data.
 */
public final class DataLoader {
    /** Schema of {@link LabeledData} frames with a numeric label (Parquet may give a vector label). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

    private static final String CORRUPT = "_corrupt_record";
    private static final String FILE = "_file";

    private final SparkSession spark;

    public DataLoader(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * @param label for CSV and column-per-feature Parquet: the label column's name or 0-based
     *        index; empty means the column named "label" if there is one, else the first column
     */
    public LabeledData load(String path, DataFormat format, Optional<String> label) {
        return load(path, format, new ReadOptions(label, OptionalInt.empty(), Optional.empty()));
    }

    /**
     * Like {@link #load(String, DataFormat, Optional)} for data whose width is known (a model's
     * input): a CSV file with exactly {@code features} columns and no label column named is read
     * as features only, and the frame has no label column.
     */
    public LabeledData load(String path, DataFormat format, Optional<String> label, OptionalInt features) {
        return load(path, format, new ReadOptions(label, features, Optional.empty()));
    }

    /** Reads {@code path} as {@code format} with these {@link ReadOptions}. */
    public LabeledData load(String path, DataFormat format, ReadOptions options) {
        Optional<String> label = options.labelColumn();
        OptionalInt features = options.features();
        List<FileStatus> files = InputFiles.list(spark.sparkContext().hadoopConfiguration(), path);
        try {
            return switch (format) {
                case CSV -> csv(path, label, features);
                case LIBSVM -> libsvm(path, features);
                case PARQUET -> ParquetReader.read(spark, path, files, options);
                case IDX -> IdxReader.read(spark, path, spark.sparkContext().defaultParallelism(), options.targets());
            };
        } catch (AnalysisException e) {
            throw new InvalidDataException("cannot read " + format.id() + " input '" + path + "': "
                    + e.getSimpleMessage(), e);
        }
    }

    /** The built-in task: {@code rows} examples generated in parallel, in {@code partitions} slices. */
    public LabeledData synthetic(SyntheticClusters task, long rows, int partitions) {
        return generated(rows, partitions, task.features(), task.describe(), () -> task.rows()::row);
    }

    /**
     * The built-in regression task: {@code rows} examples generated in parallel, in
     * {@code partitions} slices; the label is the target value.
     */
    public LabeledData synthetic(SyntheticRegression task, long rows, int partitions) {
        return generated(rows, partitions, task.features(), task.describe(), () -> task.rows()::row);
    }

    /** Writes the features of row {@code index} into {@code x} and returns its label. */
    @FunctionalInterface
    private interface RowGenerator {
        double row(long index, double[] x);
    }

    /** Builds a {@link RowGenerator} on the executor, once per partition. */
    @FunctionalInterface
    private interface RowGenerators extends java.io.Serializable {
        RowGenerator open();
    }

    private LabeledData generated(long rows, int partitions, int features, String source, RowGenerators generators) {
        Dataset<Row> frame = spark.range(0, rows, 1, partitions).mapPartitions(
                (org.apache.spark.api.java.function.MapPartitionsFunction<Long, Row>) ids ->
                        generate(generators.open(), features, ids),
                Encoders.row(SCHEMA));
        return new LabeledData(frame, features, source);
    }

    private static Iterator<Row> generate(RowGenerator generator, int features, Iterator<Long> ids) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Row next() {
                double[] x = new double[features];
                double label = generator.row(ids.next(), x);
                return RowFactory.create(Vectors.dense(x), label);
            }
        };
    }

    private LabeledData csv(String path, Optional<String> label, OptionalInt features) throws AnalysisException {
        Dataset<Row> raw = spark.read().option("header", "false").csv(path);
        Row first = firstRow(raw, path);
        String[] firstValues = new String[first.length()];
        boolean header = false;
        for (int i = 0; i < firstValues.length; i++) {
            firstValues[i] = first.isNullAt(i) ? "" : first.getString(i).trim();
            header |= !isNumber(firstValues[i]);
        }
        String[] names = new String[firstValues.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = header ? firstValues[i] : "column " + i;
        }
        boolean unlabeled = label.isEmpty() && features.isPresent() && features.getAsInt() == names.length;
        int labelIndex = unlabeled ? -1 : labelIndex(label, names, header, path);

        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            fields.add(new StructField("c" + i, DataTypes.StringType, true, Metadata.empty()));
        }
        fields.add(new StructField(CORRUPT, DataTypes.StringType, true, Metadata.empty()));
        Dataset<Row> text = spark.read()
                .option("header", Boolean.toString(header))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(new StructType(fields.toArray(StructField[]::new)))
                .csv(path)
                .withColumn(FILE, functions.col("_metadata.file_path"));
        int columns = names.length;
        StructType schema = unlabeled ? new StructType(new StructField[] {SCHEMA.fields()[0]}) : SCHEMA;
        Dataset<Row> frame = text.mapPartitions(
                (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows ->
                        new CsvRowParser(rows, names, labelIndex, columns), Encoders.row(schema));
        return new LabeledData(frame, unlabeled ? columns : columns - 1, "csv " + path);
    }

    /** Turns rows of strings into (features, label), failing on the first bad value. */
    private static final class CsvRowParser implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final String[] names;
        private final int labelIndex;
        private final int columns;

        CsvRowParser(Iterator<Row> rows, String[] names, int labelIndex, int columns) {
            this.rows = rows;
            this.names = names;
            this.labelIndex = labelIndex;
            this.columns = columns;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row row = rows.next();
            String file = row.getString(columns + 1);
            if (!row.isNullAt(columns)) {
                throw new InvalidDataException(file + ": the line '" + abbreviate(row.getString(columns))
                        + "' does not have " + columns + " comma-separated fields like the first line");
            }
            double[] x = new double[labelIndex < 0 ? columns : columns - 1];
            double label = 0;
            for (int c = 0, j = 0; c < columns; c++) {
                String value = row.isNullAt(c) ? null : row.getString(c).trim();
                double v = parse(value, file, c, row);
                if (c == labelIndex) {
                    label = v;
                } else {
                    x[j++] = v;
                }
            }
            return labelIndex < 0 ? RowFactory.create(Vectors.dense(x)) : RowFactory.create(Vectors.dense(x), label);
        }

        private double parse(String value, String file, int column, Row row) {
            String where = file + ": column " + column + " ('" + names[column] + "') of the line starting '"
                    + abbreviate(lineOf(row)) + "'";
            if (value == null || value.isEmpty()) {
                throw new InvalidDataException(where + " is empty; expected a number");
            }
            if (!isNumber(value)) {
                throw new InvalidDataException(where + " holds '" + abbreviate(value) + "'; expected a finite number");
            }
            return Double.parseDouble(value);
        }

        private String lineOf(Row row) {
            String[] values = new String[columns];
            for (int c = 0; c < columns; c++) {
                values[c] = row.isNullAt(c) ? "" : row.getString(c);
            }
            return String.join(",", values);
        }
    }

    private LabeledData libsvm(String path, OptionalInt features) throws AnalysisException {
        var reader = spark.read().format("libsvm");
        if (features.isPresent()) {
            reader = reader.option("numFeatures", features.getAsInt());
        }
        Dataset<Row> frame = reader.load(path).select("features", "label");
        int width = AttributeGroup.fromStructField(frame.schema().apply("features")).size();
        return new LabeledData(frame, width, "libsvm " + path);
    }

    private static Row firstRow(Dataset<Row> data, String path) {
        List<Row> first = data.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InvalidDataException(path + ": the input is empty");
        }
        return first.get(0);
    }

    private static int labelIndex(Optional<String> label, String[] names, boolean named, String path) {
        if (names.length < 2) {
            throw new InvalidDataException(path + ": only " + names.length
                    + " column; expected a label and at least one feature");
        }
        if (label.isEmpty()) {
            int index = named ? Arrays.asList(names).indexOf("label") : -1;
            return Math.max(index, 0);
        }
        String wanted = label.get();
        if (named) {
            int index = Arrays.asList(names).indexOf(wanted);
            if (index >= 0) {
                return index;
            }
        }
        if (wanted.matches("\\d+")) {
            int index = Integer.parseInt(wanted);
            if (index < names.length) {
                return index;
            }
            throw new InvalidDataException(path + ": label column " + index + " does not exist; the input has "
                    + names.length + " columns (0.." + (names.length - 1) + ")");
        }
        throw new InvalidDataException(path + ": no label column '" + wanted + "'"
                + (named ? " (columns: " + String.join(", ", names) + ")" : "; the input has no header, so give "
                + "the label column as a 0-based index"));
    }

    /** A finite number in plain decimal or scientific notation; not Java's extras (hex floats, a trailing 'd' or 'f'). */
    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
