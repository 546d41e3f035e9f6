package io.sparkprop.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Examples ready for training: a DataFrame with columns {@code features} (an ml.linalg Vector of
 * {@code featureCount} values) and {@code label} (a double, or for Parquet with a vector label column a
 * vector: the target vector), and where they came from.
 */
public record LabeledData(Dataset<Row> frame, int featureCount, String source) {
}
