package io.sparkprop.io;

import io.sparkprop.engine.BinaryMetrics;
import io.sparkprop.engine.ClassificationMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.RegressionMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Metrics} as JSON-ready maps: what {@code evaluate --output} writes under {@code metrics},
 * and {@code metadata.json} and {@code metrics.json} under {@code metrics} and {@code history}
 * (the README's evaluate and model-format sections document the keys). Values are {@code String},
 * {@code Long}, {@code Double} and {@code List}s of them, in new insertion-ordered maps.
 */
public final class MetricsJson {
    private MetricsJson() {
    }

    /**
     * Every metric of the task, readable without knowing the task: {@code task}
     * ({@link Metrics.Task#id()}), {@code count}, {@code weight} (only for weighted rows, whose
     * metrics and matrix entries are all weighted), {@code loss} (mean training loss), then
     * <ul>
     *   <li>multiclass and binary: {@code accuracy}, {@code logLoss}, {@code macroF1},
     *       {@code f1PerClass}, {@code confusionMatrix} (a list of rows, one per true class);</li>
     *   <li>multilabel: {@code accuracy}, {@code subsetAccuracy}, {@code logLoss}, {@code macroF1},
     *       {@code f1PerLabel}, {@code labelConfusion} (per label {@code [[tn, fp], [fn, tp]]});</li>
     *   <li>regression: {@code rmse}, {@code mae}, {@code r2}, {@code rmsePerOutput},
     *       {@code maePerOutput}, {@code r2PerOutput}.</li>
     * </ul>
     */
    public static Map<String, Object> of(Metrics metrics) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("task", metrics.task().id());
        map.put("count", metrics.count());
        if (metrics.weight() != metrics.count()) {
            map.put("weight", metrics.weight()); // weighted rows: every metric below is weighted
        }
        map.put("loss", metrics.meanLoss());
        if (metrics instanceof MulticlassMetrics m) {
            classes(map, m, m.f1PerClass(), m.confusionMatrix());
        } else if (metrics instanceof BinaryMetrics m) {
            classes(map, m, m.f1PerClass(), m.confusionMatrix());
        } else if (metrics instanceof MultilabelMetrics m) {
            map.put("accuracy", m.accuracy());
            map.put("subsetAccuracy", m.subsetAccuracy());
            map.put("logLoss", m.logLoss());
            map.put("macroF1", m.macroF1());
            map.put("f1PerLabel", list(m.f1PerLabel()));
            List<Object> labels = new ArrayList<>();
            for (double[][] matrix : m.labelConfusion()) {
                labels.add(list(matrix));
            }
            map.put("labelConfusion", labels);
        } else {
            RegressionMetrics m = (RegressionMetrics) metrics;
            map.put("rmse", m.rmse());
            map.put("mae", m.mae());
            map.put("r2", m.r2());
            map.put("rmsePerOutput", list(m.rmsePerOutput()));
            map.put("maePerOutput", list(m.maePerOutput()));
            map.put("r2PerOutput", list(m.r2PerOutput()));
        }
        return map;
    }

    private static void classes(Map<String, Object> map, ClassificationMetrics m, double[] f1, double[][] confusion) {
        map.put("accuracy", m.accuracy());
        map.put("logLoss", m.logLoss());
        map.put("macroF1", m.macroF1());
        map.put("f1PerClass", list(f1));
        map.put("confusionMatrix", list(confusion));
    }

    /**
     * The loss and the task's headline metrics, for an epoch's entry in a history and its line on
     * the console: {@code loss}, then {@code accuracy} for classifiers, {@code rmse} and {@code r2}
     * for regression.
     */
    public static Map<String, Double> summary(Metrics metrics) {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("loss", metrics.meanLoss());
        if (metrics instanceof RegressionMetrics m) {
            map.put("rmse", m.rmse());
            map.put("r2", m.r2());
        } else {
            map.put("accuracy", ((ClassificationMetrics) metrics).accuracy());
        }
        return map;
    }

    private static List<Double> list(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** A matrix of counts as whole numbers (as it always was), or of weights as they are when some are fractional. */
    private static List<List<Number>> list(double[][] matrix) {
        return Arrays.stream(matrix).map(row -> Arrays.stream(row).mapToObj(MetricsJson::count).toList()).toList();
    }

    private static Number count(double value) {
        return value == Math.rint(value) && Math.abs(value) < 0x1p53 ? (Number) (long) value : (Number) value;
    }
}
