package io.sparkprop.engine;

import java.io.Serializable;

/**
 * An evaluation of a network's outputs against their targets, built up block by block and merged
 * like {@link GradientSum}: every block's rows are {@link #add}ed on an executor, partial results are
 * {@link #merge}d up an aggregation tree, and the driver reads the metrics from the task's own type.
 * No Spark, and no text: the console and JSON forms are rendered at the edges (the command line's
 * report, the model files).
 *
 * <p><b>Tasks.</b> {@link #forNetwork} chooses the task from the output activation, as
 * {@link Network#isClassifier()} does (the loss plays no part):
 * <ul>
 *   <li>softmax, k ≥ 2 units: {@link MulticlassMetrics} with classes 0..k−1;</li>
 *   <li>sigmoid, 1 unit: {@link BinaryMetrics} with classes 0 and 1;</li>
 *   <li>sigmoid, k ≥ 2 units: {@link MultilabelMetrics}, k independent binary labels;</li>
 *   <li>identity, tanh or relu: {@link RegressionMetrics} with k outputs.</li>
 * </ul>
 * A sigmoid output of several units trained on class indices (which {@link TargetSpec} one-hot
 * encodes) is therefore evaluated label by label (the trainer reports no running accuracy for it,
 * as {@link GradientSum#accuracy()} compares arg-maxes).
 *
 * <p><b>Weights.</b> Rows may be {@linkplain #add(double[], double[], int, double, double[]) added}
 * with weights (finite, ≥ 0): every sum, count and mean is then weighted, each row counting its
 * weight times — an integer weight like that many copies of the row, as Spark's evaluators do with
 * a weight column — and the matrices hold weights instead of counts. Rows added without weights
 * weigh 1, and give exactly the unweighted numbers.
 *
 * <p>Every mean (the loss too) is NaN while no rows, or only rows of weight 0, have been added.
 * Implementations are mutable and not thread-safe, on purpose: they are an aggregation's accumulators.
 */
public sealed interface Metrics extends Serializable permits ClassificationMetrics, RegressionMetrics {

    /** What the network's outputs mean, and therefore which metrics apply. */
    enum Task {
        /** One class out of k ≥ 2 (softmax output). */
        MULTICLASS("multiclass"),
        /** Class 0 or 1 (one sigmoid output). */
        BINARY("binary"),
        /** k ≥ 2 independent yes/no labels (several sigmoid outputs). */
        MULTILABEL("multilabel"),
        /** k real-valued outputs (identity, tanh or relu output). */
        REGRESSION("regression");

        private final String id;

        Task(String id) {
            this.id = id;
        }

        /** The lower-case name used in JSON and on the console, e.g. {@code "multiclass"}. */
        public String id() {
            return id;
        }
    }

    /** An empty evaluation for the task implied by {@code network}'s output layer (see the class comment). */
    static Metrics forNetwork(Network network) {
        return of(taskOf(network), network.outputSize());
    }

    /** The task {@code network}'s output layer implies (see the class comment). */
    static Task taskOf(Network network) {
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
    static Metrics of(Task task, int outputs) {
        return switch (task) {
            case MULTICLASS -> new MulticlassMetrics(outputs);
            case BINARY -> {
                MetricsAccumulator.requireOutputs(task, outputs);
                yield new BinaryMetrics();
            }
            case MULTILABEL -> new MultilabelMetrics(outputs);
            case REGRESSION -> new RegressionMetrics(outputs);
        };
    }

    /** The task these metrics are of. */
    Task task();

    /** Values per row: classes (multiclass), labels (multilabel), outputs (regression); 1 for binary. */
    int outputs();

    /** Rows added so far. */
    long count();

    /** The total weight of the rows added so far: {@link #count()} when they are unweighted. */
    double weight();

    /**
     * The network's training loss per unit of weight (per row when unweighted): the
     * {@code lossSum}s passed to {@link #add}, over {@link #weight()}.
     */
    double meanLoss();

    /**
     * Adds {@code rows} examples. The arrays are read row-major ({@code rows × k}, as the engine
     * produces them) and may be longer than {@code rows · k} (workspace buffers); neither is modified.
     *
     * @param outputs the network's outputs: probabilities for classification, values for regression
     * @param targets one-hot rows (multiclass), 0/1 (binary, multilabel) or values (regression)
     * @param lossSum the network's own loss summed over these rows, reported as {@link #meanLoss()}
     * @throws IllegalArgumentException if {@code rows} rows of k values do not fit in the arrays
     */
    void add(double[] outputs, double[] targets, int rows, double lossSum);

    /**
     * {@link #add(double[], double[], int, double)} of rows weighing {@code weights[r]} each (or 1
     * when {@code weights} is null); {@code lossSum} is then the network's weighted loss sum, as the
     * engine computes it for a weighted block.
     *
     * @throws IllegalArgumentException also if {@code weights} holds fewer than {@code rows} values
     */
    void add(double[] outputs, double[] targets, int rows, double lossSum, double[] weights);

    /**
     * Adds {@code other}'s rows into this evaluation (in place) and returns this; {@code other} is
     * not changed. Counts (and integer weights) add exactly; regression statistics merge with Chan et al.'s formula, so
     * merging partial results in any tree gives the same numbers as one pass up to rounding (and
     * the same bits for the same tree).
     *
     * @throws IllegalArgumentException if the two evaluate different tasks or output widths
     */
    Metrics merge(Metrics other);
}
