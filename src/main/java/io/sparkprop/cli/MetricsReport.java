package io.sparkprop.cli;

import io.sparkprop.engine.BinaryMetrics;
import io.sparkprop.engine.ClassificationMetrics;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MulticlassMetrics;
import io.sparkprop.engine.MultilabelMetrics;
import io.sparkprop.engine.RegressionMetrics;
import io.sparkprop.io.MetricsJson;
import io.sparkprop.io.Numbers;
import io.sparkprop.spark.EpochStats;
import java.util.Locale;

/**
 * {@link Metrics} for people on the console: {@code evaluate}'s report, the one-line summaries of
 * {@code train}'s final and validation lines, and {@code train}'s epoch lines.
 */
public final class MetricsReport {
    /** Tables wider than this many classes, labels or outputs are left out of {@link #format}. */
    static final int MAX_PRINTED_CLASSES = 20;

    private MetricsReport() {
    }

    /**
     * {@link MetricsJson#summary} on one line, e.g. {@code loss 0.312456  accuracy 0.8870}: the
     * loss with six decimals, the others with four, huge values in scientific notation.
     */
    public static String summaryLine(Metrics metrics) {
        StringBuilder s = new StringBuilder();
        MetricsJson.summary(metrics).forEach((name, value) -> s.append(s.length() == 0 ? "" : "  ").append(name)
                .append(' ').append(Numbers.compact(value, name.equals("loss") ? 6 : 4)));
        return s.toString();
    }

    /**
     * One epoch of training, e.g. {@code epoch    3  loss 0.412345  accuracy 0.8870  | 0.512 s
     * 39,062 rows/s  lr 1.00  |g| 0.0123}, with the validation summary, and the step rate when the
     * epoch had several steps.
     */
    public static String epochLine(EpochStats s) {
        StringBuilder line = new StringBuilder(String.format("epoch %4d  loss %s", s.epoch(),
                Numbers.compact(s.loss(), 6)));
        if (!Double.isNaN(s.accuracy())) {
            line.append(String.format("  accuracy %.4f", s.accuracy()));
        }
        if (s.validation() != null) {
            line.append("  | val ").append(summaryLine(s.validation()));
        }
        line.append(String.format("  | %.3f s  %,.0f rows/s", s.seconds(), s.rowsPerSecond()));
        if (s.steps() > 1) {
            line.append(String.format("  %d steps  %.1f steps/s  overhead %.0f ms/step", s.steps(),
                    s.stepsPerSecond(), 1e3 * s.overheadPerStep()));
        }
        line.append(String.format("  lr %.3g  |g| %.3g", s.learningRate(), s.gradientNorm()));
        return line.toString();
    }

    /**
     * A report, one metric per line, then a table: the confusion matrix (multiclass, binary; rows
     * are true classes, columns predicted ones), tn/fp/fn/tp and F1 per label (multilabel) or
     * RMSE/MAE/R² per output (regression, when there are several). With more than
     * {@value #MAX_PRINTED_CLASSES} classes, labels or outputs the table is left out and a line
     * says it is in the JSON.
     */
    public static String format(Metrics metrics) {
        StringBuilder s = new StringBuilder();
        int k = metrics.outputs();
        String what = switch (metrics.task()) {
            case MULTICLASS -> k + " classes";
            case BINARY -> "classes 0 and 1";
            case MULTILABEL -> k + " labels";
            case REGRESSION -> k + (k == 1 ? " output" : " outputs");
        };
        line(s, "task", metrics.task().id() + " (" + what + ")");
        line(s, "examples", Long.toString(metrics.count()));
        if (metrics.weight() != metrics.count()) {
            line(s, "total weight", number(metrics.weight()));
        }
        line(s, "loss", number(metrics.meanLoss()));
        if (metrics instanceof ClassificationMetrics c) {
            line(s, c instanceof MultilabelMetrics ? "accuracy (per label)" : "accuracy", rate(c.accuracy()));
            if (c instanceof MultilabelMetrics m) {
                line(s, "subset accuracy", rate(m.subsetAccuracy()));
            }
            line(s, "log loss", number(c.logLoss()));
            line(s, "macro F1", rate(c.macroF1()));
        } else {
            RegressionMetrics r = (RegressionMetrics) metrics;
            line(s, "RMSE", number(r.rmse()));
            line(s, "MAE", number(r.mae()));
            line(s, "R^2", rate(r.r2()));
        }
        if (k > MAX_PRINTED_CLASSES) {
            String table = switch (metrics.task()) {
                case MULTICLASS, BINARY -> "confusion matrix";
                case MULTILABEL -> "per-label table";
                case REGRESSION -> "per-output table";
            };
            String noun = switch (metrics.task()) {
                case MULTICLASS -> "classes";
                case MULTILABEL -> "labels";
                case BINARY, REGRESSION -> "outputs";
            };
            s.append(table).append(" not printed for ").append(k).append(' ').append(noun)
                    .append("; it is in the JSON output\n");
            return s.toString();
        }
        if (metrics instanceof MulticlassMetrics m) {
            confusionTable(s, m.confusionMatrix());
        } else if (metrics instanceof BinaryMetrics b) {
            confusionTable(s, b.confusionMatrix());
        } else if (metrics instanceof MultilabelMetrics m) {
            labelTable(s, m);
        } else if (k > 1) {
            outputTable(s, (RegressionMetrics) metrics);
        }
        return s.toString();
    }

    private static void confusionTable(StringBuilder s, double[][] m) {
        int k = m.length;
        int width = Math.max(4, Integer.toString(k - 1).length());
        for (double[] row : m) {
            for (double v : row) {
                width = Math.max(width, count(v).length());
            }
        }
        String header = "true\\pred";
        s.append("confusion matrix (rows: true class, columns: predicted class)\n");
        s.append(header);
        for (int p = 0; p < k; p++) {
            s.append(' ').append(pad(Integer.toString(p), width));
        }
        s.append('\n');
        for (int t = 0; t < k; t++) {
            s.append(pad(Integer.toString(t), header.length()));
            for (int p = 0; p < k; p++) {
                s.append(' ').append(pad(count(m[t][p]), width));
            }
            s.append('\n');
        }
    }

    private static void labelTable(StringBuilder s, MultilabelMetrics metrics) {
        double[][][] m = metrics.labelConfusion();
        double[] f1 = metrics.f1PerLabel();
        int width = 6;
        for (double[][] label : m) {
            for (double[] row : label) {
                for (double v : row) {
                    width = Math.max(width, count(v).length());
                }
            }
        }
        s.append("per-label counts (tn: true negatives, fp: false positives, fn: false negatives, tp: true positives)\n");
        s.append(pad("label", 5));
        for (String h : new String[] {"tn", "fp", "fn", "tp"}) {
            s.append(' ').append(pad(h, width));
        }
        s.append(' ').append(pad("F1", 6)).append('\n');
        for (int j = 0; j < m.length; j++) {
            s.append(pad(Integer.toString(j), 5));
            for (double v : new double[] {m[j][0][0], m[j][0][1], m[j][1][0], m[j][1][1]}) {
                s.append(' ').append(pad(count(v), width));
            }
            s.append(' ').append(pad(rate(f1[j]), 6)).append('\n');
        }
    }

    private static void outputTable(StringBuilder s, RegressionMetrics metrics) {
        double[] rmse = metrics.rmsePerOutput();
        double[] mae = metrics.maePerOutput();
        double[] r2 = metrics.r2PerOutput();
        int outputs = rmse.length;
        String[][] cells = new String[outputs][];
        int width = 6;
        for (int j = 0; j < outputs; j++) {
            cells[j] = new String[] {number(rmse[j]), number(mae[j]), rate(r2[j])};
            for (String c : cells[j]) {
                width = Math.max(width, c.length());
            }
        }
        s.append("per-output metrics\n");
        s.append(pad("output", 6));
        for (String h : new String[] {"RMSE", "MAE", "R^2"}) {
            s.append(' ').append(pad(h, width));
        }
        s.append('\n');
        for (int j = 0; j < outputs; j++) {
            s.append(pad(Integer.toString(j), 6));
            for (String c : cells[j]) {
                s.append(' ').append(pad(c, width));
            }
            s.append('\n');
        }
    }

    private static void line(StringBuilder s, String name, String value) {
        s.append(String.format(Locale.ROOT, "%-21s %s\n", name, value));
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }

    /** Metrics bounded by 1 (accuracy, F1, R²): four decimals, like the trainer's log. */
    private static String rate(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A cell of a confusion table: a whole count as before, a fractional weight with six significant digits. */
    private static String count(double v) {
        return v == Math.rint(v) && Math.abs(v) < 0x1p53 ? Long.toString((long) v) : number(v);
    }

    /** Unbounded metrics (losses, errors): six significant digits. */
    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
