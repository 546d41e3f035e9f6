package io.sparkprop.cli;

import io.sparkprop.engine.Model;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A saved model and the data to apply it to: what predict and evaluate share. */
final class SavedModelOptions {
    @Option(names = "--model", paramLabel = "MODEL_DIR", required = true,
            description = "A model written by train, or one saved through Spark ML (its data/ holds the model)")
    String modelDir;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Examples (" + InputOptions.FORMATS + "; any path Spark reads)")
    String input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "1024",
            description = "Rows per matrix for GEMM (default: ${DEFAULT-VALUE})")
    int blockSize;

    /** The block size, checked before any Spark work. */
    int blockSize() {
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be at least 1, got " + blockSize);
        }
        return blockSize;
    }

    /** What the command reads, which its --output may not be, contain or lie inside. */
    List<InputPath> inputs() {
        return List.of(new InputPath("--model", modelDir), new InputPath("--input", input));
    }

    Model model(SparkSession spark) {
        return new ModelStore(spark.sparkContext().hadoopConfiguration()).load(modelDir);
    }

    /**
     * The input, checked to have the model's input width.
     *
     * @param mayLackLabels a CSV file with exactly the model's width is then read as unlabelled
     */
    LabeledData data(SparkSession spark, Model model, boolean mayLackLabels) {
        return inputOptions.loadFor(spark, input, model, modelDir, mayLackLabels);
    }
}
