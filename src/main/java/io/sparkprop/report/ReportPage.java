package io.sparkprop.report;

import io.sparkprop.engine.Metrics;
import io.sparkprop.io.EpochRecord;
import io.sparkprop.io.MetricSummary;
import io.sparkprop.io.Numbers;
import io.sparkprop.io.ReportFile;
import io.sparkprop.io.RunEnvironment;
import io.sparkprop.io.RunSettings;
import io.sparkprop.io.SavedMetrics;
import io.sparkprop.io.SavedRun;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code report.html}: one self-contained page (inline CSS, images as {@code data:} URIs, no
 * script, nothing fetched) that reads offline and survives being mailed: configuration, data,
 * plots, final metrics with the confusion matrix, time per epoch, environment. Every string that
 * may come from the user (paths, data names) is escaped.
 */
final class ReportPage {
    /** Confusion matrices and class tables wider than this are left to {@code metadata.json}. */
    static final int MAX_TABLE_CLASSES = 30;

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto;
                   max-width: 1100px; color: #222; padding: 0 16px; }
            h1 { font-size: 24px; margin-bottom: 4px; }
            h2 { font-size: 19px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 32px; }
            .subtitle { color: #555; margin-top: 0; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
            th, td { border: 1px solid #ddd; padding: 4px 8px; }
            thead th { background: #f3f5f7; }
            table.facts th { text-align: left; background: #f8f9fa; font-weight: 600; }
            table.numbers td { text-align: right; font-variant-numeric: tabular-nums; }
            table.confusion td.diagonal { font-weight: 700; background: #e6f0fa; }
            .plots img { display: block; margin: 8px 0 20px; border: 1px solid #eee; max-width: 100%; height: auto; }
            .note { color: #555; font-size: 14px; }
            .scroll { max-height: 480px; overflow-y: auto; display: inline-block; }
            """;

    /** One column of the epoch table: a figure of {@link EpochRecord}; a column no epoch has is left out. */
    private record Column(String header, Function<EpochRecord, String> cell) {
    }

    private static final List<Column> EPOCH_COLUMNS = List.of(
            new Column("epoch", e -> Integer.toString(e.epoch())),
            new Column("loss", e -> number(e.loss(), 6)),
            new Column("accuracy", e -> rate(e.accuracy())),
            new Column("val. loss", e -> e.validation().map(v -> number(v.loss(), 6)).orElse("")),
            new Column("val. accuracy", e -> e.validation().map(v -> rate(v.accuracy())).orElse("")),
            new Column("val. RMSE", e -> e.validation().map(v -> number(v.rmse(), 6)).orElse("")),
            new Column("val. R²", e -> e.validation().map(v -> rate(v.r2())).orElse("")),
            new Column("learning rate", e -> significant(e.learningRate())),
            new Column("|g|", e -> significant(e.gradientNorm())),
            new Column("steps", e -> e.steps() > 0 ? Integer.toString(e.steps()) : ""),
            new Column("seconds", e -> number(e.seconds(), 3)),
            new Column("rows/s", e -> Double.isFinite(e.rowsPerSecond())
                    ? String.format(Locale.ROOT, "%,.0f", e.rowsPerSecond()) : ""),
            new Column("overhead ms/step", e -> Double.isFinite(e.overheadPerStep())
                    ? String.format(Locale.ROOT, "%.1f", 1e3 * e.overheadPerStep()) : ""),
            new Column("validation s", e -> number(e.validationSeconds(), 3)));

    /** Names of the metrics {@link io.sparkprop.io.MetricsJson} writes, for people. */
    private static final Map<String, String> METRIC_NAMES = Map.of("loss", "loss", "weight", "total weight",
            "accuracy", "accuracy", "subsetAccuracy", "subset accuracy", "logLoss", "log loss", "macroF1", "macro F1",
            "rmse", "RMSE", "mae", "MAE", "r2", "R²");

    private ReportPage() {
    }

    static String html(SavedRun run, Plots plots) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>sparkprop report: ").append(Html.escape(run.where())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        s.append("<h1>sparkprop training report</h1>\n<p class=\"subtitle\">").append(Html.escape(run.where()))
                .append(" · ").append(Html.escape(run.network().toString())).append("</p>\n");
        configuration(s, run);
        data(s, run);
        plots(s, plots);
        metrics(s, run);
        epochs(s, run);
        environment(s, run);
        return s.append("</body>\n</html>\n").toString();
    }

    private static void configuration(StringBuilder s, SavedRun run) {
        s.append("<h2>Configuration</h2>\n");
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("network", run.network().toString()));
        facts.add(List.of("parameters", String.format(Locale.ROOT, "%,d", run.network().parameterCount())));
        facts.add(List.of("loss function", run.network().loss().id()));
        run.settings().ifPresent(c -> {
            facts.add(List.of("optimizer", c.optimizer()));
            facts.add(List.of("learning rate", significant(c.learningRate())));
            facts.add(List.of("batch", c.batchSize() > 0 ? c.batchSize() + " rows per step" : "full batch"));
            facts.add(List.of("epochs", c.epochsRun() + " run of " + c.epochs() + "; the model holds epoch "
                    + run.keptEpoch()));
            facts.add(List.of("early stopping", c.patience() > 0 ? "after " + c.patience()
                    + " epochs without a lower validation loss" : "off"));
            facts.add(List.of("precision", c.precision()));
            facts.add(List.of("seed", Long.toString(c.seed())));
            facts.add(List.of("standardised features", c.standardize() ? "yes" : "no"));
        });
        s.append(Html.facts(facts));
        if (run.settings().isEmpty()) {
            s.append(Html.paragraph("This model was saved without the record of its training run."));
        }
    }

    private static void data(StringBuilder s, SavedRun run) {
        s.append("<h2>Data</h2>\n");
        List<List<String>> facts = new ArrayList<>();
        run.settings().ifPresent(c -> {
            facts.add(List.of("training data", c.data()));
            facts.add(List.of("training rows", String.format(Locale.ROOT, "%,d", c.rows())));
        });
        run.validation().ifPresent(v -> facts.add(List.of("validation rows", String.format(Locale.ROOT, "%,d",
                v.count()) + run.settings().filter(c -> c.validationFraction() > 0).map(c -> String.format(Locale.ROOT,
                " (%.0f%% of the data held out)", 100 * c.validationFraction())).orElse(""))));
        facts.add(List.of("features", Integer.toString(run.network().inputSize())));
        run.training().ifPresent(m -> facts.add(List.of("task", task(m.task(), run.network().outputSize()))));
        s.append(Html.facts(facts));
        run.training().filter(m -> m.task() != Metrics.Task.REGRESSION).ifPresent(m -> classCounts(s, m, run));
    }

    private static void classCounts(StringBuilder s, SavedMetrics training, SavedRun run) {
        double[] counts = training.classCounts();
        if (counts.length > MAX_TABLE_CLASSES) {
            s.append(Html.paragraph(counts.length + " classes: their counts are the row sums of the confusion "
                    + "matrix in metadata.json (metrics.training.confusionMatrix)."));
            return;
        }
        boolean multilabel = training.task() == Metrics.Task.MULTILABEL;
        Optional<double[]> validation = run.validation().map(SavedMetrics::classCounts);
        double total = java.util.Arrays.stream(counts).sum();
        List<String> header = new ArrayList<>(List.of(multilabel ? "label" : "class",
                multilabel ? "training rows with it" : "training rows", "share"));
        validation.ifPresent(v -> header.add("validation rows"));
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(c), ConfusionHeatMap.count(counts[c]),
                    String.format(Locale.ROOT, "%.1f%%", 100 * counts[c] / (multilabel ? training.count() : total))));
            int cls = c;
            validation.ifPresent(v -> row.add(ConfusionHeatMap.count(v[cls])));
            rows.add(row);
        }
        s.append(Html.table("numbers", header, rows));
    }

    private static void plots(StringBuilder s, Plots plots) {
        s.append("<h2>Plots</h2>\n<div class=\"plots\">\n");
        if (plots.images().isEmpty()) {
            s.append(Html.paragraph("No plots: the model was saved without a history of its epochs."));
        }
        plots.images().forEach((file, png) -> {
            int[] size = pixels(file);
            s.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\" width=\"").append(size[0]).append("\" height=\"").append(size[1]).append("\" alt=\"")
                    .append(Html.escape(file.fileName())).append("\">\n");
        });
        s.append("</div>\n");
    }

    /** The stated pixel size of each image. */
    static int[] pixels(ReportFile file) {
        return switch (file) {
            case LOSS, ACCURACY -> new int[] {EpochCharts.WIDTH, EpochCharts.HEIGHT};
            case CONFUSION -> new int[] {ConfusionHeatMap.SIZE, ConfusionHeatMap.SIZE};
            case PREDICTIONS -> new int[] {PredictionScatter.SIZE, PredictionScatter.SIZE};
            case HTML -> throw new IllegalArgumentException("not an image: " + file);
        };
    }

    private static void metrics(StringBuilder s, SavedRun run) {
        s.append("<h2>Final metrics</h2>\n");
        if (run.training().isEmpty()) {
            s.append(Html.paragraph("Not recorded with this model (sparkprop evaluate measures them)."));
            return;
        }
        SavedMetrics training = run.training().get();
        Optional<SavedMetrics> validation = run.validation();
        Set<String> names = new LinkedHashSet<>(training.scalars().keySet());
        validation.ifPresent(v -> names.addAll(v.scalars().keySet()));
        List<String> header = new ArrayList<>(List.of("metric", "training"));
        validation.ifPresent(v -> header.add("validation"));
        List<List<String>> rows = new ArrayList<>();
        for (String name : names) {
            List<String> row = new ArrayList<>(List.of(METRIC_NAMES.getOrDefault(name, name),
                    training.scalar(name).map(ReportPage::metric).orElse("")));
            validation.ifPresent(v -> row.add(v.scalar(name).map(ReportPage::metric).orElse("")));
            rows.add(row);
        }
        s.append(Html.table("numbers", header, rows));
        s.append(Html.paragraph("Measured with the weights of epoch " + run.keptEpoch() + " over all rows."));
        Plots.confusionSource(run).ifPresent(m -> confusion(s, m, run.reportedData()));
        if (training.labelConfusion().length > 0) {
            labels(s, run.reported().orElseThrow(), run.reportedData());
        }
    }

    private static void confusion(StringBuilder s, SavedMetrics metrics, String data) {
        double[][] m = metrics.confusionMatrix();
        s.append("<h3>Confusion matrix, ").append(data).append(" data</h3>\n");
        if (m.length > MAX_TABLE_CLASSES) {
            s.append(Html.paragraph(m.length + " classes are too many for a table here: the matrix is in "
                    + "metadata.json (metrics." + data + ".confusionMatrix)."));
            return;
        }
        s.append("<table class=\"numbers confusion\">\n<thead><tr><th>true \\ predicted</th>");
        for (int p = 0; p < m.length; p++) {
            s.append("<th>").append(p).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int t = 0; t < m.length; t++) {
            s.append("<tr><th>").append(t).append("</th>");
            for (int p = 0; p < m.length; p++) {
                s.append(t == p ? "<td class=\"diagonal\">" : "<td>").append(ConfusionHeatMap.count(m[t][p]))
                        .append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody></table>\n");
    }

    private static void labels(StringBuilder s, SavedMetrics metrics, String data) {
        double[][][] m = metrics.labelConfusion();
        s.append("<h3>Per-label counts, ").append(data).append(" data</h3>\n");
        if (m.length > MAX_TABLE_CLASSES) {
            s.append(Html.paragraph(m.length + " labels: the counts are in metadata.json (metrics." + data
                    + ".labelConfusion)."));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < m.length; j++) {
            rows.add(List.of(Integer.toString(j), ConfusionHeatMap.count(m[j][0][0]), ConfusionHeatMap.count(m[j][0][1]),
                    ConfusionHeatMap.count(m[j][1][0]), ConfusionHeatMap.count(m[j][1][1])));
        }
        s.append(Html.table("numbers", List.of("label", "true negatives", "false positives", "false negatives",
                "true positives"), rows));
    }

    private static void epochs(StringBuilder s, SavedRun run) {
        s.append("<h2>Time per epoch</h2>\n");
        List<EpochRecord> history = run.history();
        if (history.isEmpty()) {
            s.append(Html.paragraph("No history was saved with this model."));
            return;
        }
        double total = history.stream().mapToDouble(EpochRecord::seconds).filter(Double::isFinite).sum();
        String overall = run.settings().map(RunSettings::seconds).filter(Double::isFinite)
                .map(t -> String.format(Locale.ROOT, "; the whole run took %.1f s (with reading and caching the data "
                        + "and the final evaluation)", t)).orElse("");
        s.append(Html.paragraph(String.format(Locale.ROOT, "%d epochs, %.2f s of steps, %.3f s per epoch on average",
                history.size(), total, total / history.size()) + overall + "."));
        timeParts(s, history);
        List<Column> columns = EPOCH_COLUMNS.stream()
                .filter(c -> history.stream().anyMatch(e -> !c.cell().apply(e).isEmpty())).toList();
        List<List<String>> rows = history.stream()
                .map(e -> columns.stream().map(c -> c.cell().apply(e)).toList()).toList();
        s.append("<div class=\"scroll\">\n")
                .append(Html.table("numbers", columns.stream().map(Column::header).toList(), rows))
                .append("</div>\n");
    }

    /** Where the epochs' time went, part by part, over the epochs that measured it. */
    private static void timeParts(StringBuilder s, List<EpochRecord> history) {
        Map<String, Double> parts = new LinkedHashMap<>();
        double measured = 0;
        for (EpochRecord e : history) {
            if (!e.times().isEmpty()) {
                measured += e.seconds();
                e.times().forEach((part, seconds) -> parts.merge(part, seconds, Double::sum));
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        double all = measured;
        List<List<String>> rows = new ArrayList<>();
        parts.forEach((part, seconds) -> rows.add(List.of(part, String.format(Locale.ROOT, "%.3f", seconds),
                String.format(Locale.ROOT, "%.1f%%", 100 * seconds / all))));
        s.append(Html.paragraph("Where the steps' time went: the engine's compute and the tasks' other work "
                + "(Spark's task metrics, spread over the task slots), the driver's broadcasts and optimizer "
                + "updates, the tree aggregation's merge tasks (with barrier steps: the exchange of sums), and "
                + "the rest, Spark's scheduling."));
        s.append(Html.table("numbers", List.of("part", "seconds", "share"), rows));
    }

    private static void environment(StringBuilder s, SavedRun run) {
        s.append("<h2>Environment</h2>\n");
        if (run.environment().isEmpty()) {
            s.append(Html.paragraph("Not recorded: the model was saved by a sparkprop that did not record it."));
            return;
        }
        RunEnvironment e = run.environment().get();
        List<List<String>> facts = new ArrayList<>(List.of(List.of("sparkprop", e.sparkprop()),
                List.of("Spark", e.spark()), List.of("Java", e.java()), List.of("master", e.master()),
                List.of("executors", Integer.toString(e.executors())), List.of("task slots",
                        Integer.toString(e.taskSlots())), List.of("BLAS", e.blas())));
        run.settings().ifPresent(c -> {
            facts.add(List.of("precision", c.precision()));
            memoryFact(facts, c, "driverPeakHeapBytes", e.master().startsWith("local") ? "peak heap (driver and tasks)"
                    : "driver's peak heap");
            memoryFact(facts, c, "driverLiveHeapBytes", "most heap left after a collection");
            memoryFact(facts, c, "executorPeakHeapBytes", "executors' peak heap (largest)");
            memoryFact(facts, c, "cachedInMemoryBytes", "cached blocks in memory");
            memoryFact(facts, c, "cachedOnDiskBytes", "cached blocks spilled to disk");
        });
        s.append(Html.facts(facts));
    }

    private static void memoryFact(List<List<String>> facts, RunSettings settings, String name, String label) {
        Long bytes = settings.memory().get(name);
        if (bytes != null) {
            facts.add(List.of(label, String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)));
        }
    }

    private static String task(Metrics.Task task, int outputs) {
        return switch (task) {
            case MULTICLASS -> "multiclass classification, " + outputs + " classes";
            case BINARY -> "binary classification";
            case MULTILABEL -> "multi-label classification, " + outputs + " labels";
            case REGRESSION -> "regression, " + outputs + (outputs == 1 ? " output" : " outputs");
        };
    }

    /** A metric in the table: bounded ones with four decimals, others with six. */
    private static String metric(double value) {
        return Math.abs(value) <= 1 ? number(value, 4) : number(value, 6);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "" : Numbers.compact(value, decimals);
    }

    private static String rate(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String significant(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3g", value);
    }
}
