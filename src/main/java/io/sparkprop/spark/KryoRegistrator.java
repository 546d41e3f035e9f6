package io.sparkprop.spark;

import com.esotericsoftware.kryo.Kryo;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.BinaryMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.PredictionSample;
import io.sparkprop.engine.RegressionMetrics;
import io.sparkprop.engine.SparseFeatures;

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
        kryo.register(SparseFeatures.class);
        kryo.register(int[].class);
        kryo.register(GradientSum.class);
        kryo.register(MulticlassMetrics.class);
        kryo.register(BinaryMetrics.class);
        kryo.register(MultilabelMetrics.class);
        kryo.register(RegressionMetrics.class);
        // A record: Kryo's field serializer cannot set a record's fields; it crosses once per run.
        kryo.register(PredictionSample.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
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
        // What Spark ML's own stages and evaluators ship in a Pipeline, which Spark does not
        // register itself, so that pipelines run with registration required too.
        kryo.register(org.apache.spark.sql.types.DataType[].class);
        for (String name : SPARK_ML_CLASSES) {
            try {
                kryo.register(name.endsWith("[]") ? java.lang.reflect.Array.newInstance(
                        Class.forName(name.substring(0, name.length() - 2)), 0).getClass() : Class.forName(name));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Spark class " + name + " is gone; update KryoRegistrator", e);
            }
        }
    }

    private static final String[] SPARK_ML_CLASSES = {
        "org.apache.spark.sql.types.ArrayType",
        "org.apache.spark.ml.stat.SummarizerBuffer",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMax$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMin$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeNNZ$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Max$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Min$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NumNonZeros$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Sum$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
        "scala.collection.immutable.$colon$colon",
        "scala.collection.immutable.Nil$",
        "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter",
        "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter[]",
    };
}
