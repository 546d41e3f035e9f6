package io.sparkprop.ml;

import io.sparkprop.spark.LocalSpark;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Fisher's Iris data (src/test/resources/datasets), as the Spark ML tests use it. */
final class Iris {
    static final String SCHEMA =
            "sepal_length DOUBLE, sepal_width DOUBLE, petal_length DOUBLE, petal_width DOUBLE, species STRING";
    static final String[] MEASUREMENTS = {"sepal_length", "sepal_width", "petal_length", "petal_width"};

    private Iris() {
    }

    /** The CSV file: four measurements and the species name. */
    static String path() {
        try {
            return Path.of(Iris.class.getResource("/datasets/iris.csv").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw rows: columns sepal_length, sepal_width, petal_length, petal_width (double), species (string). */
    static Dataset<Row> raw() {
        return LocalSpark.session().read().option("header", true).schema(SCHEMA).csv(path());
    }

    /** With {@code features} (the four measurements) and {@code label} (species index, with metadata). */
    static Dataset<Row> assembled() {
        Dataset<Row> indexed = new StringIndexer().setInputCol("species").setOutputCol("label").fit(raw())
                .transform(raw());
        return new VectorAssembler().setInputCols(MEASUREMENTS).setOutputCol("features").transform(indexed);
    }
}
