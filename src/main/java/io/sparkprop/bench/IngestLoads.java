package io.sparkprop.bench;

import io.sparkprop.engine.Network;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.ReadOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The ways from a file to data in the cache, counted, that {@link IngestPhase} times: sparkprop's
 * readers as {@code train} calls them, and Spark's own CSV and {@code libsvm} sources, each ending
 * in {@code train}'s cached blocks ({@link TrainCache}), and Spark's CSV reader ending in a plain
 * {@code cache().count()} of the assembled frame.
 */
final class IngestLoads {
    /** What a load left in the cache: how much, a check of its contents, and how to drop it. */
    interface Loaded extends AutoCloseable {
        long rows();

        int partitions();

        /** Σ features, Σ labels: equal for every reader of the same data ({@link TrainCache.Cached#checksum()}). */
        double[] checksum();

        @Override
        void close();
    }

    private final SparkSession spark;
    private final Network network;
    private final TrainCache cache;

    IngestLoads(SparkSession spark, Network network, TrainCache cache) {
        this.spark = spark;
        this.network = network;
        this.cache = cache;
    }

    /**
     * sparkprop's reader as {@code train --input PATH} calls it (labels checked against the output
     * layer as they are read), then train's blocks.
     */
    Loaded ours(String path, DataFormat format) {
        ReadOptions options = ReadOptions.defaults().withTargets(TargetSpec.of(network));
        return cache.cache(new DataLoader(spark).load(path, format, options).frame());
    }

    /**
     * The explicit schema a Spark user would write for the file: the header's column names, each
     * of {@code type}. Built once, before any timing, from the file's first line.
     *
     * @param type DoubleType (values of any decimal form, as sparkprop reads) or IntegerType
     */
    static StructType csvSchema(Path file, DataType type) throws IOException {
        String header;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = reader.readLine();
        }
        return new StructType(Arrays.stream(header.split(",")).map(n -> DataTypes.createStructField(n.trim(), type,
                true)).toArray(StructField[]::new));
    }

    /**
     * Spark's CSV source with a header line and an explicit schema (no inference pass), then
     * {@link VectorAssembler} over every column but {@code label}.
     */
    Dataset<Row> sparkCsv(String path, StructType schema) {
        Dataset<Row> raw = spark.read().option("header", true).schema(schema).csv(path);
        String[] pixels = Arrays.stream(schema.fieldNames()).filter(n -> !n.equals("label")).toArray(String[]::new);
        return new VectorAssembler().setInputCols(pixels).setOutputCol("features").transform(raw)
                .select("features", "label");
    }

    /** {@link #sparkCsv} then train's blocks. */
    Loaded sparkCsvBlocks(String path, StructType schema) {
        return cache.cache(sparkCsv(path, schema));
    }

    /** {@link #sparkCsv} cached as a DataFrame (Spark's columnar cache) and counted: no blocks. */
    Loaded sparkCsvFrame(String path, StructType schema) {
        Dataset<Row> frame = sparkCsv(path, schema).cache();
        return new CachedFrame(frame, frame.count());
    }

    /**
     * Spark's {@code libsvm} source, then train's blocks.
     *
     * @param features the width to give it ({@code numFeatures}), or 0 to let it find the largest
     *     index in a first pass over the file, as sparkprop's reader does for training data
     */
    Loaded sparkLibsvmBlocks(String path, int features) {
        DataFrameReader reader = spark.read().format("libsvm");
        if (features > 0) {
            reader = reader.option("numFeatures", Integer.toString(features));
        }
        return cache.cache(reader.load(path).select("features", "label"));
    }

    /** A DataFrame in Spark's cache. */
    private record CachedFrame(Dataset<Row> frame, long rows) implements Loaded {
        @Override
        public int partitions() {
            return frame.rdd().getNumPartitions();
        }

        @Override
        public double[] checksum() {
            return frame.javaRDD().map(row -> {
                double features = 0;
                for (double v : ((Vector) row.get(0)).toArray()) {
                    features += v;
                }
                return new double[] {features, ((Number) row.get(1)).doubleValue()};
            }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        }

        @Override
        public void close() {
            frame.unpersist(true);
        }
    }
}
