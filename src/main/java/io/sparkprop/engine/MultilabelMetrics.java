package io.sparkprop.engine;

/**
 * k ≥ 2 independent yes/no labels (several sigmoid outputs): per label its 2 × 2 counts, the rows
 * with every label right, and the summed log loss; an output or target is positive when it is ≥ 0.5.
 */
public final class MultilabelMetrics extends LabelCounts implements ClassificationMetrics {
    private static final long serialVersionUID = 1L;

    /**
     * An empty evaluation of {@code labels} labels.
     *
     * @throws IllegalArgumentException for fewer than 2 labels (one is {@link BinaryMetrics})
     */
    public MultilabelMetrics(int labels) {
        super(Task.MULTILABEL, labels);
    }

    @Override
    public MultilabelMetrics merge(Metrics other) {
        mergeFrom(other);
        return this;
    }

    /** The number of labels, k. */
    public int labels() {
        return outputs;
    }

    /**
     * The (weighted) fraction of rows with every label right (scikit-learn's multilabel
     * {@code accuracy_score}).
     */
    public double subsetAccuracy() {
        return weight == 0 ? Double.NaN : exactRows / weight;
    }

    /**
     * F1 = 2tp / (2tp + fp + fn) of each label's positive class; 0 for a label with no true and no
     * predicted positives. All NaN while no rows (or only rows of weight 0) have been added.
     */
    public double[] f1PerLabel() {
        double[] f1 = new double[outputs];
        for (int j = 0; j < outputs; j++) {
            f1[j] = weight == 0 ? Double.NaN : f1(confusion[4 * j + 3], confusion[4 * j + 1], confusion[4 * j + 2]);
        }
        return f1;
    }

    @Override
    public double macroF1() {
        return average(f1PerLabel());
    }

    /**
     * One 2 × 2 matrix per label, {@code [label][truth][prediction]}, i.e. {{tn, fp}, {fn, tp}} —
     * the layout of scikit-learn's {@code multilabel_confusion_matrix}, of counts or, for weighted
     * rows, weights; a new array.
     */
    public double[][][] labelConfusion() {
        double[][][] matrices = new double[outputs][][];
        for (int j = 0; j < outputs; j++) {
            matrices[j] = matrix(j);
        }
        return matrices;
    }
}
