package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.engine.Workspace;
import io.sparkprop.io.InvalidDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a model to a DataFrame of feature vectors, a block of rows at a time. The result keeps
 * the input's order and its numeric {@code label} column when there is one, and adds {@code prediction}
 * (the class index for a classifier, the output value for a one-output regression, else the
 * first output) and {@code output_0 .. output_k-1} (the network's raw outputs: class
 * probabilities for softmax).
 */
public final class Predictor {
    private final Model model;
    private final int blockSize;

    public Predictor(Model model, int blockSize) {
        this.model = model;
        this.blockSize = blockSize;
    }

    /**
     * Lazily computes predictions for {@code data}, which has a vector column {@code features}. The
     * weights are broadcast once per call and stay with the session, since the result may be
     * evaluated any number of times.
     */
    public Dataset<Row> transform(Dataset<Row> data) {
        // A vector label (a target vector) has no place in a CSV of predictions; a numeric one is kept.
        boolean hasLabel = Arrays.asList(data.columns()).contains("label")
                && data.schema().apply("label").dataType() instanceof org.apache.spark.sql.types.NumericType;
        Dataset<Row> input = hasLabel ? data.select("features", "label") : data.select("features");
        Network network = model.network();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        Broadcast<double[]> weights = sc.broadcast(model.parameters());
        Standardization standardization = model.standardization().orElse(null);
        int rowsPerBlock = blockSize;
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
                predictPartition(rows, network, weights.value(), standardization, rowsPerBlock, hasLabel),
                Encoders.row(schema(network, hasLabel)));
    }

    /** Columns of {@link #transform}'s result. */
    public static StructType schema(Network network, boolean withLabel) {
        List<StructField> fields = new ArrayList<>();
        if (withLabel) {
            fields.add(new StructField("label", DataTypes.DoubleType, false, Metadata.empty()));
        }
        fields.add(new StructField("prediction", DataTypes.DoubleType, false, Metadata.empty()));
        for (int k = 0; k < network.outputSize(); k++) {
            fields.add(new StructField("output_" + k, DataTypes.DoubleType, false, Metadata.empty()));
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** The prediction column's value for one row of outputs. */
    static double prediction(Network network, double[] out, int offset) {
        int k = network.outputSize();
        if (!network.isClassifier()) {
            return out[offset];
        }
        return k == 1 ? (out[offset] >= 0.5 ? 1.0 : 0.0) : Backprop.argMax(out, offset, k);
    }

    private static Iterator<Row> predictPartition(Iterator<Row> rows, Network network, double[] params,
                                                  Standardization standardization, int blockSize, boolean hasLabel) {
        Backprop engine = new Backprop(network);
        int inputs = network.inputSize();
        int outputs = network.outputSize();
        Workspace ws = new Workspace(network, blockSize);
        double[] x = new double[blockSize * inputs];
        double[] out = new double[blockSize * outputs];
        List<Row> chunk = new ArrayList<>(blockSize);
        List<Row> results = new ArrayList<>(blockSize);
        return new Iterator<>() {
            private Iterator<Row> ready = results.iterator();

            @Override
            public boolean hasNext() {
                if (!ready.hasNext() && rows.hasNext()) {
                    fill();
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.next();
            }

            private void fill() {
                chunk.clear();
                while (chunk.size() < blockSize && rows.hasNext()) {
                    chunk.add(rows.next());
                }
                int n = chunk.size();
                Arrays.fill(x, 0, n * inputs, 0.0); // sparse vectors write their non-zeros only
                for (int r = 0; r < n; r++) {
                    try {
                        Blocks.copyFeatures(chunk.get(r).get(0), x, r * inputs, inputs);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidDataException("cannot predict: " + e.getMessage());
                    }
                }
                if (standardization != null) {
                    standardization.apply(x, n);
                }
                engine.predict(params, x, n, ws, out);
                results.clear();
                for (int r = 0; r < n; r++) {
                    Object[] values = new Object[(hasLabel ? 2 : 1) + outputs];
                    int c = 0;
                    if (hasLabel) {
                        values[c++] = ((Number) chunk.get(r).get(1)).doubleValue();
                    }
                    values[c++] = prediction(network, out, r * outputs);
                    for (int k = 0; k < outputs; k++) {
                        values[c++] = out[r * outputs + k];
                    }
                    results.add(RowFactory.create(values));
                }
                ready = results.iterator();
            }
        };
    }
}
