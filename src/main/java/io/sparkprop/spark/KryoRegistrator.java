package io.sparkprop.spark;

import com.esotericsoftware.kryo.Kryo;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.BinaryMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.RegressionMetrics;

/**
 * Registers every class of ours that Spark serialises with Kryo (cached and spilled blocks,
 * gradient sums up the aggregation tree, broadcast weights, vectors in DataFrames), so jobs run with
 * {@code spark.kryo.registrationRequired=true}.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Block.class);
        kryo.register(Block[].class);
        kryo.register(GradientSum.class);
        kryo.register(MulticlassMetrics.class);
        kryo.register(BinaryMetrics.class);
        kryo.register(MultilabelMetrics.class);
        kryo.register(RegressionMetrics.class);
        kryo.register(Metrics.Task.class);
        kryo.register(long[].class);
        kryo.register(long[][].class);
        kryo.register(double[].class);
        kryo.register(float[].class);
        kryo.register(scala.Tuple2.class);
        // Feature vectors in DataFrames and their SQL type, e.g. in the plan of a Parquet write.
        kryo.register(org.apache.spark.ml.linalg.VectorUDT.class);
        kryo.register(org.apache.spark.ml.linalg.DenseVector.class);
        kryo.register(org.apache.spark.ml.linalg.SparseVector.class);
        kryo.register(org.apache.spark.sql.types.Metadata.class);
        kryo.register(org.apache.spark.sql.types.Metadata[].class);
    }
}
