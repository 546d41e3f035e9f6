package io.sparkprop.cli;

import io.sparkprop.io.DataFormat;
import io.sparkprop.io.DataLoader;
import io.sparkprop.io.LabeledData;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Which data file to read and how. */
final class InputOptions {
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, libsvm or parquet (default: from the file name)")
    String format;

    @Option(names = "--label-col", paramLabel = "NAME|INDEX",
            description = "Label column of a CSV or Parquet file: name or 0-based index "
                    + "(default: the column named 'label', else the first)")
    String labelColumn;

    LabeledData load(SparkSession spark, String path) {
        DataFormat f = format == null ? DataFormat.detect(path) : DataFormat.parse(format);
        return new DataLoader(spark).load(path, f, Optional.ofNullable(labelColumn));
    }
}
