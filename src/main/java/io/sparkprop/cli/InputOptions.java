package io.sparkprop.cli;

import io.sparkprop.engine.Model;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ReadOptions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Which data file to read and how. */
final class InputOptions {
    /** Every {@link DataFormat}, for the help of each option that names data to read. */
    static final String FORMATS = "CSV, LIBSVM, Parquet or IDX";

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, libsvm, parquet or idx (default: from the file name, compressed or not: .csv, "
                    + ".libsvm or .svm, .parquet, -idx3-ubyte)")
    String format;

    @Option(names = "--label-col", paramLabel = "NAME|INDEX",
            description = "Label column of a CSV or Parquet file: name or 0-based index "
                    + "(default: the column named 'label', else the first)")
    String labelColumn;

    /** Reads labelled data. */
    LabeledData load(SparkSession spark, String path) {
        return load(spark, path, ReadOptions.defaults());
    }

    /** Reads labelled data whose labels must fit {@code targets}. */
    LabeledData load(SparkSession spark, String path, TargetSpec targets) {
        return load(spark, path, ReadOptions.defaults().withTargets(targets));
    }

    /**
     * Reads labelled data whose labels must fit {@code targets} and whose width is that of other
     * data ({@code width}, e.g. validation data beside training data; LIBSVM data takes it).
     */
    LabeledData load(SparkSession spark, String path, TargetSpec targets, int width) {
        return load(spark, path, ReadOptions.defaults().withTargets(targets).withFeatures(width));
    }

    /**
     * Reads data for a saved model, checking that it has the model's input width.
     *
     * @param mayLackLabels a CSV file with exactly the model's width is then read as unlabelled
     */
    LabeledData loadFor(SparkSession spark, String path, Model model, String modelDir, boolean mayLackLabels) {
        int inputs = model.network().inputSize();
        ReadOptions options = ReadOptions.defaults().withTargets(TargetSpec.of(model.network()));
        // The model's width also gives LIBSVM data its width, whatever its largest index.
        LabeledData data = load(spark, path, mayLackLabels ? options.withFeatures(inputs).allowingUnlabelled()
                : options.withFeatures(inputs));
        if (data.featureCount() != inputs) {
            throw new IllegalArgumentException("model " + modelDir + " takes " + inputs + " inputs but "
                    + data.source() + " has " + data.featureCount() + " features");
        }
        return data;
    }

    private LabeledData load(SparkSession spark, String path, ReadOptions options) {
        DataFormat f = format == null ? DataFormat.detect(path) : DataFormat.parse(format);
        return new DataLoader(spark).load(path, f, options.withLabelColumn(labelColumn));
    }
}
