package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.Scorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredictionCsvTest {
    private static final int ROWS = 9;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "tanh(4)|softmax(3); categorical-cross-entropy",
        "tanh(4)|sigmoid(1); binary-cross-entropy",
        "tanh(4)|sigmoid(3); binary-cross-entropy",
        "tanh(4)|identity(1); squared-error",
        "tanh(4)|identity(2); squared-error"})
    void everyTaskGivesTheLabelThePredictionAndTheNetworksOutputs(String layers, String loss) {
        Network network = Network.parse(layers, 3, Loss.parse(loss));
        Model model = new Model(network, Initializer.initialize(network, 5));
        List<Row> input = new ArrayList<>();
        double[] x = new double[ROWS * 3];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < 3; j++) {
                x[3 * r + j] = Math.cos(2.1 * r + j) * 2;
            }
            input.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(x, 3 * r, 3 * r + 3)), (double) (r % 2)));
        }
        Dataset<Row> frame = LocalSpark.session().createDataFrame(input, LocalSpark.SCHEMA).coalesce(1);
        Dataset<Row> csv = PredictionCsv.of(new Scorer(model, 4), frame);

        int k = network.outputSize();
        List<String> header = new ArrayList<>(List.of("label", "prediction"));
        for (int i = 0; i < k; i++) {
            header.add("output_" + i);
        }
        assertEquals(header, Arrays.asList(csv.columns()));
        double[] out = model.predict(x, ROWS);
        List<Row> rows = csv.collectAsList();
        for (int r = 0; r < ROWS; r++) {
            Row row = rows.get(r);
            assertEquals(r % 2, row.getDouble(0));
            double prediction = !network.isClassifier() ? out[k * r]
                    : k == 1 ? (out[r] >= 0.5 ? 1 : 0) : Backprop.argMax(out, k * r, k);
            assertEquals(prediction, row.getDouble(1), "prediction of row " + r);
            for (int i = 0; i < k; i++) {
                assertEquals(out[k * r + i], row.getDouble(2 + i), 1e-15, "output " + i + " of row " + r);
            }
        }
    }
}
