package io.sparkprop.io;

import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads examples from any path Spark can read (local, HDFS, S3) into {@link LabeledData}. Values
 * are checked as the rows are read: a bad value fails the job with an {@link InvalidDataException}
 * naming the file, the line (CSV, LIBSVM) or row (Parquet, IDX), the column and what was
 * expected. The path is listed on the driver first: a missing one is an
 * {@link UnreadableInputException}, a directory without data files bad data.
 */
public final class DataLoader {
    /** Schema of {@link LabeledData} frames with a numeric label (Parquet may give a vector label). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

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
        return load(path, format, new ReadOptions(label, features, Optional.empty(), true));
    }

    /** Reads {@code path} as {@code format} with these {@link ReadOptions}. */
    public LabeledData load(String path, DataFormat format, ReadOptions options) {
        return switch (format) {
            case CSV -> new CsvReader(spark).read(path, options);
            case LIBSVM -> new LibsvmReader(spark).read(path, options);
            case PARQUET -> ParquetReader.read(spark, path, InputFiles.list(spark.sparkContext().hadoopConfiguration(),
                    path), options);
            case IDX -> IdxReader.read(spark, path, spark.sparkContext().defaultParallelism(), options.targets());
        };
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

    /**
     * The sparse task: {@code rows} examples generated in parallel, in {@code partitions} slices,
     * with sparse feature vectors (as LIBSVM input gives them).
     */
    public LabeledData synthetic(SyntheticSparse task, long rows, int partitions) {
        Dataset<Row> frame = spark.range(0, rows, 1, partitions).mapPartitions(
                (org.apache.spark.api.java.function.MapPartitionsFunction<Long, Row>) ids -> sparseRows(task, ids),
                Encoders.row(SCHEMA));
        return new LabeledData(frame, task.features(), task.describe());
    }

    private static Iterator<Row> sparseRows(SyntheticSparse task, Iterator<Long> ids) {
        int[] columns = new int[task.nonzeros()];
        double[] values = new double[task.nonzeros()];
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Row next() {
                int label = task.row(ids.next(), columns, values);
                return RowFactory.create(Vectors.sparse(task.features(), columns.clone(), values.clone()),
                        (double) label);
            }
        };
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
}
