package io.sparkprop.spark;

import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.DataErrors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@link Metrics} of a model on labelled data: one forward pass over the data, applying the
 * model's standardisation, with the per-partition results merged up the aggregation tree. Sparse
 * rows are evaluated in CSR blocks, as in training (see {@link Blocks}).
 */
public final class ModelEvaluator {
    private final Model model;
    private final int blockSize;
    private final int aggregationDepth;

    public ModelEvaluator(Model model, int blockSize, int aggregationDepth) {
        this.model = model;
        this.blockSize = blockSize;
        this.aggregationDepth = aggregationDepth;
    }

    /** Evaluates {@code data}, which has a vector column "features" and a column "label". */
    public Metrics evaluate(Dataset<Row> data) {
        return evaluate(data, "features", "label");
    }

    /** Evaluates {@code data}'s vector column {@code featuresCol} against its column {@code labelCol}; every row counts once. */
    public Metrics evaluate(Dataset<Row> data, String featuresCol, String labelCol) {
        return evaluate(data, featuresCol, labelCol, null);
    }

    /**
     * {@link #evaluate(Dataset, String, String)} with each row weighted by its value in the numeric
     * column {@code weightCol} (finite, ≥ 0; null for every row once): every metric is then
     * weighted, as Spark's evaluators do with a weight column (see {@link Metrics}).
     *
     * @throws io.sparkprop.io.InvalidDataException for a row whose weight is missing, negative or not finite
     */
    public Metrics evaluate(Dataset<Row> data, String featuresCol, String labelCol, String weightCol) {
        Standardization standardization = model.standardization().orElse(null);
        // Standardised sparse data stays sparse as in training: x/σ, the centring in the first layer.
        CentringFold fold = standardization != null && DataErrors.rethrowing(() -> Blocks.sparseInput(data,
                featuresCol)) ? new CentringFold(model.network(), standardization) : null;
        double[] weights = fold == null ? model.parameters() : fold.fold(model.parameters());
        return DataErrors.rethrowing(() -> new DistributedGradient(
                Blocks.fromDataset(data, featuresCol, labelCol, weightCol, model.network(), blockSize,
                        Precision.FLOAT64, standardization, fold == null),
                model.network(), aggregationDepth).evaluate(weights));
    }
}
