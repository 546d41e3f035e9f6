package io.sparkprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.engine.MetricsExamples;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.RegressionMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void multiclassIsOrderedAndWritesAsJson() throws Exception {
        Map<String, Object> map = MetricsJson.of(MetricsExamples.multiclass());
        assertEquals(List.of("task", "count", "loss", "accuracy", "logLoss", "macroF1", "f1PerClass",
                "confusionMatrix"), List.copyOf(map.keySet()));
        String json = JSON.writeValueAsString(map);
        assertTrue(json.startsWith("{\"task\":\"multiclass\",\"count\":6,\"loss\":0.5,\"accuracy\":0.5,"), json);
        assertTrue(json.endsWith("\"confusionMatrix\":[[2,0,0],[1,1,0],[0,2,0]]}"), json);
    }

    @Test
    void weightedRowsAddTheirWeightAndKeepWholeEntriesWhole() throws Exception {
        // MetricsExamples' six rows: true 0 0 1 1 2 2, predicted 0 0 0 1 1 1.
        MulticlassMetrics m = new MulticlassMetrics(3);
        m.add(MetricsExamples.multiclassOutputs(), MetricsExamples.multiclassTargets(), 6, 3.0,
                new double[] {0.5, 1, 2, 0.25, 0, 1.25});
        String json = JSON.writeValueAsString(MetricsJson.of(m));
        assertTrue(json.startsWith("{\"task\":\"multiclass\",\"count\":6,\"weight\":5.0,\"loss\":0.6,"
                + "\"accuracy\":0.35,"), json);
        assertTrue(json.endsWith("\"confusionMatrix\":[[1.5,0,0],[2,0.25,0],[0,1.25,0]]}"), json);
    }

    @Test
    void binaryHasTheKeysOfMulticlass() throws Exception {
        String json = JSON.writeValueAsString(MetricsJson.of(MetricsExamples.binary()));
        assertTrue(json.startsWith("{\"task\":\"binary\",\"count\":5,\"loss\":0.5,\"accuracy\":0.6,"), json);
        assertTrue(json.endsWith("\"confusionMatrix\":[[1,1],[1,2]]}"), json);
    }

    @Test
    void multilabelAndRegressionHaveTheirOwnKeys() throws Exception {
        MultilabelMetrics labels = new MultilabelMetrics(2);
        labels.add(new double[] {0.9, 0.1}, new double[] {1, 1}, 1, 0.0);
        assertEquals(List.of("task", "count", "loss", "accuracy", "subsetAccuracy", "logLoss", "macroF1",
                "f1PerLabel", "labelConfusion"), List.copyOf(MetricsJson.of(labels).keySet()));
        assertTrue(JSON.writeValueAsString(MetricsJson.of(labels))
                .endsWith("\"labelConfusion\":[[[0,0],[0,1]],[[0,0],[1,0]]]}"));

        assertEquals(List.of("task", "count", "loss", "rmse", "mae", "r2", "rmsePerOutput", "maePerOutput",
                "r2PerOutput"), List.copyOf(MetricsJson.of(new RegressionMetrics(2)).keySet()));
        Map<String, Object> regression = MetricsJson.of(MetricsExamples.regression());
        assertEquals(0.625, regression.get("r2"));
        assertEquals(List.of(0.75, 0.5), regression.get("r2PerOutput"));
    }

    @Test
    void theSummaryHoldsTheLossAndTheHeadlineMetrics() {
        assertEquals(Map.of("loss", 0.5, "accuracy", 0.5), MetricsJson.summary(MetricsExamples.multiclass()));
        assertEquals(List.of("loss", "accuracy"), List.copyOf(MetricsJson.summary(MetricsExamples.multilabel()).keySet()));
        Map<String, Double> regression = MetricsJson.summary(MetricsExamples.regression());
        assertEquals(List.of("loss", "rmse", "r2"), List.copyOf(regression.keySet()));
        assertEquals(0.625, regression.get("r2"));
    }
}
