package io.sparkprop.spark;

import io.sparkprop.engine.Block;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One real {@code local[2,4]} Spark session for all tests of a JVM, configured as in production
 * (unless {@link #SESSION_PROPERTY} asks for Spark's defaults):
 * two task slots, up to four attempts per task, {@link TaskFailures} (data errors end a job at
 * once, other failures are retried), Kryo with our registrator and registration required,
 * traffic on loopback only.
 */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    /**
     * The system property that chooses the session: {@code default} for one with Spark's defaults
     * (Java serialization, no plugin) — what a Spark ML user who never heard of sparkprop's settings
     * has; the Maven build runs the Spark ML API tests once more that way.
     */
    public static final String SESSION_PROPERTY = "sparkprop.test.session";

    public static synchronized SparkSession session() {
        if (session == null && "default".equals(System.getProperty(SESSION_PROPERTY))) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("sparkprop-tests-default-session")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .config("spark.plugins", TaskFailures.class.getName())
                    .appName("sparkprop-tests")
                    .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .config("spark.kryo.registrator", KryoRegistrator.class.getName())
                    .config("spark.kryo.registrationRequired", "true")
                    .config("spark.kryo.unsafe", "true")
                    .config("spark.task.maxDirectResultSize", "64m")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }

    public static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    public static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});

    /**
     * A DataFrame of the block's rows with exactly the given partition sizes (zeros allowed), in
     * order; labels are class indices (arg-max of the one-hot targets) or the single target.
     */
    public static Dataset<Row> frame(Block data, int... partitionSizes) {
        return frame(data, false, partitionSizes);
    }

    /** {@link #frame} with every row's target vector as a vector label. */
    public static Dataset<Row> vectorLabelFrame(Block data, int... partitionSizes) {
        return frame(data, true, partitionSizes);
    }

    private static Dataset<Row> frame(Block data, boolean vectorLabels, int... partitionSizes) {
        List<List<Row>> slices = new ArrayList<>();
        int inputs = data.inputs();
        int outputs = data.outputs();
        int next = 0;
        for (int size : partitionSizes) {
            List<Row> slice = new ArrayList<>();
            for (int r = next; r < next + size; r++) {
                double[] x = java.util.Arrays.copyOfRange(data.features(), r * inputs, (r + 1) * inputs);
                double[] y = java.util.Arrays.copyOfRange(data.targets(), r * outputs, (r + 1) * outputs);
                Object label = vectorLabels ? Vectors.dense(y)
                        : outputs == 1 ? y[0] : (Object) (double) io.sparkprop.engine.Backprop.argMax(y, 0, outputs);
                slice.add(RowFactory.create(Vectors.dense(x), label));
            }
            slices.add(slice);
            next += size;
        }
        if (next != data.rows()) {
            throw new IllegalArgumentException("partition sizes add up to " + next + ", not " + data.rows());
        }
        JavaRDD<Row> rows = context().parallelize(java.util.stream.IntStream.range(0, slices.size()).boxed().toList(),
                        slices.size())
                .mapPartitions(it -> slices.get(it.next()).iterator(), true);
        return session().createDataFrame(rows, vectorLabels ? VECTOR_LABEL_SCHEMA : SCHEMA);
    }

    private static final StructType VECTOR_LABEL_SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
        new StructField("label", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty())});
}
