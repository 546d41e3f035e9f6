package io.sparkprop.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation of a network's outputs against their targets, built up block by block and merged
 * like {@link GradientSum}: every block's rows are {@link #add}ed on an executor, partial results are
 * {@link #merge}d up an aggregation tree, and the driver reads the metrics. No Spark here.
 *
 * <p><b>Tasks.</b> {@link #forNetwork} chooses the task from the output activation, as
 * {@link Network#isClassifier()} does (the loss plays no part):
 * <ul>
 *   <li>softmax, k ≥ 2 units: {@link Task#MULTICLASS} with classes 0..k−1;</li>
 *   <li>sigmoid, 1 unit: {@link Task#BINARY} with classes 0 and 1;</li>
 *   <li>sigmoid, k ≥ 2 units: {@link Task#MULTILABEL}, k independent binary labels;</li>
 *   <li>identity, tanh or relu: {@link Task#REGRESSION} with k outputs.</li>
 * </ul>
 * A sigmoid output of several units trained on class indices (which {@link TargetSpec} one-hot
 * encodes) is therefore evaluated label by label here (the trainer reports no running accuracy
 * for it, as {@link GradientSum#accuracy()} compares arg-maxes).
 *
 * <p><b>Decisions.</b> Multiclass: the true class is the arg-max of the target row (the one-hot
 * position), the predicted class the arg-max of the output row (ties go to the lowest index, as in
 * {@link Backprop#argMax}). Binary and multilabel: a target or output is positive when it is
 * ≥ 0.5 — the engine's own rule for its training accuracy — so soft targets in [0, 1] count as
 * the class they are closer to (ties to 1).
 *
 * <p><b>What is summed.</b> Classification keeps exact counts (a confusion matrix, or one 2×2
 * matrix per label) and the summed log loss; regression keeps, per output, the sums of squared and
 * absolute errors and the target's mean and sum of squared deviations, merged with Chan et al.'s
 * parallel formula, so merging partial results in any tree gives the same numbers as one pass up to
 * rounding. Every mean (the loss too) is NaN while no rows have been added.
 *
 * <p>Mutable and not thread-safe, on purpose: it is an aggregation's accumulator.
 */
public final class Metrics implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Probabilities are clamped to [ε, 1 − ε] before taking logs (scikit-learn's former default ε). */
    static final double LOG_LOSS_EPSILON = 1e-15;

    /** Confusion matrices wider than this are left out of {@link #format()}. */
    static final int MAX_PRINTED_CLASSES = 20;

    /** What the network's outputs mean, and therefore which metrics apply. */
    public enum Task {
        /** One class out of k ≥ 2 (softmax output). */
        MULTICLASS,
        /** Class 0 or 1 (one sigmoid output). */
        BINARY,
        /** k ≥ 2 independent yes/no labels (several sigmoid outputs). */
        MULTILABEL,
        /** k real-valued outputs (identity, tanh or relu output). */
        REGRESSION;

        /** The lower-case name used in JSON and on the console, e.g. {@code "multiclass"}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Task task;
    /** k: classes, labels or regression outputs; 1 for binary. */
    private final int outputs;
    private long count;
    private double lossSum;

    // Classification. MULTICLASS: confusion[true * k + predicted]. BINARY and MULTILABEL: for label
    // j, confusion[4j .. 4j + 3] = {tn, fp, fn, tp} (index = 2 · truth + prediction).
    private final long[] confusion;
    private double logLossSum;
    /** MULTILABEL: rows whose labels are all right. */
    private long exactRows;

    // Regression, per output: target mean and Σ (y − ȳ)², target min and max (to recognise a
    // constant target exactly), Σ (o − y)² and Σ |o − y|.
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;
    private final double[] squaredErrors;
    private final double[] absoluteErrors;

    private Metrics(Task task, int outputs) {
        this.task = task;
        this.outputs = outputs;
        int regression = task == Task.REGRESSION ? outputs : 0;
        this.confusion = switch (task) {
            case MULTICLASS -> new long[outputs * outputs];
            case BINARY, MULTILABEL -> new long[4 * outputs];
            case REGRESSION -> new long[0];
        };
        this.mean = new double[regression];
        this.m2 = new double[regression];
        this.min = new double[regression];
        this.max = new double[regression];
        this.squaredErrors = new double[regression];
        this.absoluteErrors = new double[regression];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /** An empty evaluation for the task implied by {@code network}'s output layer (see the class comment). */
    public static Metrics forNetwork(Network network) {
        return of(taskOf(network), network.outputSize());
    }

    /** The task {@code network}'s output layer implies (see the class comment). */
    public static Task taskOf(Network network) {
        Layer out = network.output();
        return switch (out.activation()) {
            case SOFTMAX -> Task.MULTICLASS;
            case SIGMOID -> out.units() == 1 ? Task.BINARY : Task.MULTILABEL;
            case IDENTITY, TANH, RELU -> Task.REGRESSION;
        };
    }

    /**
     * An empty evaluation of {@code outputs} values per row.
     *
     * @throws IllegalArgumentException unless binary has 1 output, multiclass and multilabel at
     *         least 2, regression at least 1
     */
    public static Metrics of(Task task, int outputs) {
        boolean fits = switch (task) {
            case BINARY -> outputs == 1;
            case MULTICLASS, MULTILABEL -> outputs >= 2;
            case REGRESSION -> outputs >= 1;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + task.id() + " evaluation cannot have " + outputs
                    + " output(s) (binary needs 1, multiclass and multilabel at least 2, regression at least 1)");
        }
        if (task == Task.MULTICLASS && outputs > 46_340) {
            throw new IllegalArgumentException(outputs + " classes: the confusion matrix would not fit in an array");
        }
        return new Metrics(task, outputs);
    }

    /**
     * Adds {@code rows} examples. The arrays are read row-major ({@code rows × k}, as the engine
     * produces them) and may be longer than {@code rows · k} (workspace buffers); neither is modified.
     *
     * @param outputs the network's outputs: probabilities for classification, values for regression
     * @param targets one-hot rows (multiclass), 0/1 (binary, multilabel) or values (regression)
     * @param lossSum the network's own loss summed over these rows, reported as {@link #meanLoss()}
     */
    public void add(double[] outputs, double[] targets, int rows, double lossSum) {
        int k = this.outputs;
        if (rows < 0 || (long) rows * k > outputs.length || (long) rows * k > targets.length) {
            throw new IllegalArgumentException(rows + " rows of " + k + " values do not fit in outputs of length "
                    + outputs.length + " and targets of length " + targets.length);
        }
        switch (task) {
            case MULTICLASS -> addMulticlass(outputs, targets, rows);
            case BINARY, MULTILABEL -> addLabels(outputs, targets, rows);
            case REGRESSION -> addRegression(outputs, targets, rows);
        }
        count += rows;
        this.lossSum += lossSum;
    }

    private void addMulticlass(double[] o, double[] y, int rows) {
        int k = outputs;
        double log = 0.0;
        for (int r = 0; r < rows; r++) {
            int c = r * k;
            confusion[Backprop.argMax(y, c, k) * k + Backprop.argMax(o, c, k)]++;
            for (int j = c; j < c + k; j++) {
                if (y[j] != 0.0) {
                    log -= y[j] * Math.log(clamp(o[j]));
                }
            }
        }
        logLossSum += log;
    }

    private void addLabels(double[] o, double[] y, int rows) {
        int k = outputs;
        double log = 0.0;
        for (int r = 0; r < rows; r++) {
            int c = r * k;
            boolean allRight = true;
            for (int j = 0; j < k; j++) {
                double target = y[c + j];
                double p = clamp(o[c + j]);
                boolean truth = target >= 0.5;
                boolean predicted = o[c + j] >= 0.5;
                confusion[4 * j + (truth ? 2 : 0) + (predicted ? 1 : 0)]++;
                allRight &= truth == predicted;
                log -= target * Math.log(p) + (1.0 - target) * Math.log(1.0 - p);
            }
            if (allRight) {
                exactRows++;
            }
        }
        logLossSum += log;
    }

    private void addRegression(double[] o, double[] y, int rows) {
        if (rows == 0) {
            return;
        }
        int k = outputs;
        for (int j = 0; j < k; j++) {
            // Two passes over the block for its own mean and M2, then one Chan et al. merge.
            double sum = 0.0;
            double lo = min[j];
            double hi = max[j];
            double se = 0.0;
            double ae = 0.0;
            for (int r = 0, i = j; r < rows; r++, i += k) {
                double target = y[i];
                sum += target;
                lo = Math.min(lo, target);
                hi = Math.max(hi, target);
                double e = o[i] - target;
                se += e * e;
                ae += Math.abs(e);
            }
            double blockMean = sum / rows;
            double blockM2 = 0.0;
            for (int r = 0, i = j; r < rows; r++, i += k) {
                double d = y[i] - blockMean;
                blockM2 += d * d;
            }
            combine(j, count, rows, blockMean, blockM2);
            min[j] = lo;
            max[j] = hi;
            squaredErrors[j] += se;
            absoluteErrors[j] += ae;
        }
    }

    /**
     * Chan, Golub and LeVeque's update of output {@code j}'s (mean, M2) over {@code na} rows with
     * a second group of {@code nb} rows: δ = m_b − m_a, mean = m_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n.
     */
    private void combine(int j, long na, long nb, double meanB, double m2B) {
        if (nb == 0) {
            return;
        }
        if (na == 0) {
            mean[j] = meanB;
            m2[j] = m2B;
            return;
        }
        double n = (double) na + nb;
        double delta = meanB - mean[j];
        mean[j] += delta * (nb / n);
        m2[j] += m2B + delta * delta * ((double) na * nb / n);
    }

    private static double clamp(double p) {
        return Math.min(Math.max(p, LOG_LOSS_EPSILON), 1.0 - LOG_LOSS_EPSILON);
    }

    /**
     * Adds {@code other}'s rows into this evaluation (in place) and returns this; {@code other} is
     * not changed. Counts add exactly; regression statistics merge with Chan et al.'s formula.
     *
     * @throws IllegalArgumentException if the two evaluate different tasks or output widths
     */
    public Metrics merge(Metrics other) {
        if (other.task != task || other.outputs != outputs) {
            throw new IllegalArgumentException("cannot merge a " + other.task.id() + " evaluation of " + other.outputs
                    + " output(s) into a " + task.id() + " evaluation of " + outputs);
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        logLossSum += other.logLossSum;
        exactRows += other.exactRows;
        for (int j = 0; j < mean.length; j++) {
            combine(j, count, other.count, other.mean[j], other.m2[j]);
            min[j] = Math.min(min[j], other.min[j]);
            max[j] = Math.max(max[j], other.max[j]);
            squaredErrors[j] += other.squaredErrors[j];
            absoluteErrors[j] += other.absoluteErrors[j];
        }
        count += other.count;
        lossSum += other.lossSum;
        return this;
    }

    public Task task() {
        return task;
    }

    /** Values per row: classes (multiclass), labels (multilabel), outputs (regression); 1 for binary. */
    public int outputs() {
        return outputs;
    }

    /** Rows added so far. */
    public long count() {
        return count;
    }

    /** The network's training loss per row (the {@code lossSum}s passed to {@link #add}, over {@link #count()}). */
    public double meanLoss() {
        return lossSum / count;
    }

    // ---------------------------------------------------------------- classification

    /**
     * Fraction of correct answers. Multiclass: the arg-max output is the true class. Binary: the
     * thresholded output is the true class. Multilabel: the fraction of (row, label) pairs right,
     * i.e. 1 − Hamming loss — not scikit-learn's {@code accuracy_score}, which for multilabel data is
     * the {@linkplain #subsetAccuracy() subset accuracy}.
     */
    public double accuracy() {
        requireClassification("accuracy()");
        if (count == 0) {
            return Double.NaN;
        }
        long right = 0;
        if (task == Task.MULTICLASS) {
            for (int c = 0; c < outputs; c++) {
                right += confusion[c * outputs + c];
            }
        } else {
            for (int j = 0; j < outputs; j++) {
                right += confusion[4 * j] + confusion[4 * j + 3];
            }
        }
        return (double) right / ((double) count * (task == Task.MULTILABEL ? outputs : 1));
    }

    /** Multilabel only: the fraction of rows with every label right (scikit-learn's multilabel {@code accuracy_score}). */
    public double subsetAccuracy() {
        require(Task.MULTILABEL, "subsetAccuracy()");
        return count == 0 ? Double.NaN : (double) exactRows / count;
    }

    /**
     * Mean log loss per row, from the outputs taken as probabilities and clamped to
     * [1e−15, 1 − 1e−15] (as scikit-learn's {@code log_loss} did with its former default eps;
     * rows are not renormalised). Multiclass: −Σ_k y_k log p_k per row, which is −log p_true for
     * one-hot targets. Binary and multilabel: −Σ_k [y_k log p_k + (1 − y_k) log(1 − p_k)] per row,
     * summed over the labels like the binary cross-entropy loss per example (so for multilabel it is
     * k times scikit-learn's {@code log_loss}, which averages over labels too).
     */
    public double logLoss() {
        requireClassification("logLoss()");
        return logLossSum / count;
    }

    /**
     * F1 = 2tp / (2tp + fp + fn) of each class (multiclass: classes 0..k−1; binary: class 0 then
     * class 1) or of each label's positive class (multilabel). A class with no true and no predicted
     * examples has F1 0 (scikit-learn's {@code zero_division=0}). All NaN while no rows have been added.
     */
    public double[] f1PerClass() {
        requireClassification("f1PerClass()");
        double[] f1;
        if (task == Task.MULTICLASS) {
            int k = outputs;
            f1 = new double[k];
            for (int c = 0; c < k; c++) {
                long tp = confusion[c * k + c];
                long trueTotal = 0;
                long predictedTotal = 0;
                for (int i = 0; i < k; i++) {
                    trueTotal += confusion[c * k + i];
                    predictedTotal += confusion[i * k + c];
                }
                f1[c] = f1(tp, predictedTotal - tp, trueTotal - tp);
            }
        } else if (task == Task.BINARY) {
            long tn = confusion[0];
            long fp = confusion[1];
            long fn = confusion[2];
            long tp = confusion[3];
            f1 = new double[] {f1(tn, fn, fp), f1(tp, fp, fn)};
        } else {
            f1 = new double[outputs];
            for (int j = 0; j < outputs; j++) {
                f1[j] = f1(confusion[4 * j + 3], confusion[4 * j + 1], confusion[4 * j + 2]);
            }
        }
        if (count == 0) {
            Arrays.fill(f1, Double.NaN);
        }
        return f1;
    }

    /**
     * The unweighted mean of {@link #f1PerClass()}: over all k classes (multiclass, equal to
     * scikit-learn's {@code f1_score(y, p, labels=range(k), average="macro", zero_division=0)}, so
     * a class absent from both the targets and the predictions counts as 0), over both classes
     * (binary), or over the labels' positive-class F1 (multilabel, scikit-learn's macro average on
     * indicator matrices).
     */
    public double macroF1() {
        requireClassification("macroF1()");
        double[] f1 = f1PerClass();
        double sum = 0.0;
        for (double f : f1) {
            sum += f;
        }
        return sum / f1.length;
    }

    private static double f1(long tp, long fp, long fn) {
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }

    /**
     * Multiclass and binary: the k × k (binary: 2 × 2) confusion matrix, a new array; entry [t][p]
     * counts rows of true class t predicted as p. For binary that is {{tn, fp}, {fn, tp}}.
     */
    public long[][] confusionMatrix() {
        if (task != Task.MULTICLASS && task != Task.BINARY) {
            throw notFor("confusionMatrix()", "multiclass and binary tasks; multilabel has labelConfusion()");
        }
        if (task == Task.BINARY) {
            return new long[][] {{confusion[0], confusion[1]}, {confusion[2], confusion[3]}};
        }
        long[][] matrix = new long[outputs][];
        for (int t = 0; t < outputs; t++) {
            matrix[t] = Arrays.copyOfRange(confusion, t * outputs, (t + 1) * outputs);
        }
        return matrix;
    }

    /**
     * Multilabel only: one 2 × 2 matrix per label, {@code [label][truth][prediction]}, i.e.
     * {{tn, fp}, {fn, tp}} — the layout of scikit-learn's {@code multilabel_confusion_matrix}.
     */
    public long[][][] labelConfusion() {
        require(Task.MULTILABEL, "labelConfusion()");
        long[][][] matrices = new long[outputs][][];
        for (int j = 0; j < outputs; j++) {
            int b = 4 * j;
            matrices[j] = new long[][] {{confusion[b], confusion[b + 1]}, {confusion[b + 2], confusion[b + 3]}};
        }
        return matrices;
    }

    // ---------------------------------------------------------------- regression

    /** Root mean squared error of each output, √(Σ (o − y)² / n). */
    public double[] rmsePerOutput() {
        require(Task.REGRESSION, "rmsePerOutput()");
        double[] rmse = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            rmse[j] = Math.sqrt(squaredErrors[j] / count);
        }
        return rmse;
    }

    /** Mean absolute error of each output, Σ |o − y| / n. */
    public double[] maePerOutput() {
        require(Task.REGRESSION, "maePerOutput()");
        double[] mae = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            mae[j] = absoluteErrors[j] / count;
        }
        return mae;
    }

    /**
     * Coefficient of determination of each output, R² = 1 − SS_res / SS_tot with
     * SS_res = Σ (o − y)² and SS_tot = Σ (y − ȳ)². For a constant target (every y equal, so
     * SS_tot = 0) R² is 1 if the predictions are exact (SS_res = 0) and 0 otherwise, as
     * scikit-learn's {@code r2_score} with {@code force_finite=True}. NaN while no rows have been added.
     */
    public double[] r2PerOutput() {
        require(Task.REGRESSION, "r2PerOutput()");
        double[] r2 = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            if (count == 0) {
                r2[j] = Double.NaN;
            } else if (min[j] == max[j] || m2[j] == 0.0) {
                r2[j] = squaredErrors[j] == 0.0 ? 1.0 : 0.0;
            } else {
                r2[j] = 1.0 - squaredErrors[j] / m2[j];
            }
        }
        return r2;
    }

    /** The mean of {@link #rmsePerOutput()} over outputs (scikit-learn's {@code multioutput="uniform_average"}). */
    public double rmse() {
        require(Task.REGRESSION, "rmse()");
        return average(rmsePerOutput());
    }

    /** The mean of {@link #maePerOutput()} over outputs. */
    public double mae() {
        require(Task.REGRESSION, "mae()");
        return average(maePerOutput());
    }

    /** The mean of {@link #r2PerOutput()} over outputs. */
    public double r2() {
        require(Task.REGRESSION, "r2()");
        return average(r2PerOutput());
    }

    private static double average(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    // ---------------------------------------------------------------- reporting

    /**
     * The loss and the task's headline metrics, for an epoch's line in a log or a history:
     * accuracy for classifiers, RMSE and R² for regression.
     */
    public Map<String, Double> summary() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("loss", meanLoss());
        if (task == Task.REGRESSION) {
            map.put("rmse", rmse());
            map.put("r2", r2());
        } else {
            map.put("accuracy", accuracy());
        }
        return map;
    }

    /** {@link #summary()} on one line, e.g. {@code loss 0.312456  accuracy 0.8870}. */
    public String summaryLine() {
        StringBuilder s = new StringBuilder();
        summary().forEach((name, value) -> s.append(s.length() == 0 ? "" : "  ").append(name).append(' ')
                .append(compact(value, name.equals("loss") ? 6 : 4)));
        return s.toString();
    }

    /**
     * {@code value} with {@code decimals} decimals where that reads well (magnitudes from 1e-4 to
     * 1e6, and zero), else in scientific notation with three significant digits: {@code 0.312456},
     * {@code 4.30e+220}, never the hundreds of digits a fixed format prints for a huge value.
     */
    public static String compact(double value, int decimals) {
        double magnitude = Math.abs(value);
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (magnitude == 0 || magnitude >= 1e-4 && magnitude < 1e6) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }

    /**
     * Every metric of the task, for writing as JSON without knowing the task: {@code task}
     * ({@link Task#id()}), {@code count}, {@code loss} (mean training loss), then
     * <ul>
     *   <li>multiclass and binary: {@code accuracy}, {@code logLoss}, {@code macroF1},
     *       {@code f1PerClass}, {@code confusionMatrix} (a list of rows, one per true class);</li>
     *   <li>multilabel: {@code accuracy}, {@code subsetAccuracy}, {@code logLoss}, {@code macroF1},
     *       {@code f1PerLabel}, {@code labelConfusion} (per label {@code [[tn, fp], [fn, tp]]});</li>
     *   <li>regression: {@code rmse}, {@code mae}, {@code r2}, {@code rmsePerOutput},
     *       {@code maePerOutput}, {@code r2PerOutput}.</li>
     * </ul>
     * Values are {@code String}, {@code Long}, {@code Double} and {@code List}s of them; a new,
     * insertion-ordered map.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("task", task.id());
        map.put("count", count);
        map.put("loss", meanLoss());
        switch (task) {
            case MULTICLASS, BINARY -> {
                map.put("accuracy", accuracy());
                map.put("logLoss", logLoss());
                map.put("macroF1", macroF1());
                map.put("f1PerClass", list(f1PerClass()));
                map.put("confusionMatrix", list(confusionMatrix()));
            }
            case MULTILABEL -> {
                map.put("accuracy", accuracy());
                map.put("subsetAccuracy", subsetAccuracy());
                map.put("logLoss", logLoss());
                map.put("macroF1", macroF1());
                map.put("f1PerLabel", list(f1PerClass()));
                List<Object> labels = new ArrayList<>();
                for (long[][] m : labelConfusion()) {
                    labels.add(list(m));
                }
                map.put("labelConfusion", labels);
            }
            case REGRESSION -> {
                map.put("rmse", rmse());
                map.put("mae", mae());
                map.put("r2", r2());
                map.put("rmsePerOutput", list(rmsePerOutput()));
                map.put("maePerOutput", list(maePerOutput()));
                map.put("r2PerOutput", list(r2PerOutput()));
            }
        }
        return map;
    }

    private static List<Double> list(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static List<List<Long>> list(long[][] matrix) {
        return Arrays.stream(matrix).map(row -> Arrays.stream(row).boxed().toList()).toList();
    }

    /**
     * A report for the console, one metric per line, then a table: the confusion matrix
     * (multiclass, binary; rows are true classes, columns predicted ones), tn/fp/fn/tp and F1 per
     * label (multilabel) or RMSE/MAE/R² per output (regression, when there are several). With more
     * than 20 classes, labels or outputs the table is left out and a line says it is in the JSON.
     */
    public String format() {
        StringBuilder s = new StringBuilder();
        String what = switch (task) {
            case MULTICLASS -> outputs + " classes";
            case BINARY -> "classes 0 and 1";
            case MULTILABEL -> outputs + " labels";
            case REGRESSION -> outputs + (outputs == 1 ? " output" : " outputs");
        };
        line(s, "task", task.id() + " (" + what + ")");
        line(s, "examples", Long.toString(count));
        line(s, "loss", number(meanLoss()));
        switch (task) {
            case MULTICLASS, BINARY, MULTILABEL -> {
                line(s, task == Task.MULTILABEL ? "accuracy (per label)" : "accuracy", rate(accuracy()));
                if (task == Task.MULTILABEL) {
                    line(s, "subset accuracy", rate(subsetAccuracy()));
                }
                line(s, "log loss", number(logLoss()));
                line(s, "macro F1", rate(macroF1()));
            }
            case REGRESSION -> {
                line(s, "RMSE", number(rmse()));
                line(s, "MAE", number(mae()));
                line(s, "R^2", rate(r2()));
            }
        }
        String table = switch (task) {
            case MULTICLASS, BINARY -> "confusion matrix";
            case MULTILABEL -> "per-label table";
            case REGRESSION -> "per-output table";
        };
        if (outputs > MAX_PRINTED_CLASSES) {
            String noun = switch (task) {
                case MULTICLASS -> "classes";
                case MULTILABEL -> "labels";
                case BINARY, REGRESSION -> "outputs";
            };
            s.append(table).append(" not printed for ").append(outputs).append(' ').append(noun)
                    .append("; it is in the JSON output\n");
            return s.toString();
        }
        switch (task) {
            case MULTICLASS, BINARY -> confusionTable(s);
            case MULTILABEL -> labelTable(s);
            case REGRESSION -> {
                if (outputs > 1) {
                    outputTable(s);
                }
            }
        }
        return s.toString();
    }

    private void confusionTable(StringBuilder s) {
        long[][] m = confusionMatrix();
        int k = m.length;
        int width = Math.max(4, Integer.toString(k - 1).length());
        for (long[] row : m) {
            for (long v : row) {
                width = Math.max(width, Long.toString(v).length());
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
                s.append(' ').append(pad(Long.toString(m[t][p]), width));
            }
            s.append('\n');
        }
    }

    private void labelTable(StringBuilder s) {
        long[][][] m = labelConfusion();
        double[] f1 = f1PerClass();
        int width = 6;
        for (long[][] label : m) {
            for (long[] row : label) {
                for (long v : row) {
                    width = Math.max(width, Long.toString(v).length());
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
            for (long v : new long[] {m[j][0][0], m[j][0][1], m[j][1][0], m[j][1][1]}) {
                s.append(' ').append(pad(Long.toString(v), width));
            }
            s.append(' ').append(pad(rate(f1[j]), 6)).append('\n');
        }
    }

    private void outputTable(StringBuilder s) {
        double[] rmse = rmsePerOutput();
        double[] mae = maePerOutput();
        double[] r2 = r2PerOutput();
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

    /** Unbounded metrics (losses, errors): six significant digits. */
    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private void requireClassification(String getter) {
        if (task == Task.REGRESSION) {
            throw notFor(getter, "classification tasks (multiclass, binary, multilabel)");
        }
    }

    private void require(Task wanted, String getter) {
        if (task != wanted) {
            throw notFor(getter, wanted.id() + " tasks");
        }
    }

    private IllegalStateException notFor(String getter, String applies) {
        return new IllegalStateException(getter + " applies to " + applies + "; this evaluation is of a "
                + task.id() + " task with " + outputs + " output(s)");
    }

    @Override
    public String toString() {
        return "Metrics" + toMap();
    }
}
