package io.sparkprop.engine;

/**
 * The metrics of a classifier: exact counts (a confusion matrix, or one 2 × 2 matrix per label)
 * and the summed log loss, so partial results merge exactly.
 *
 * <p><b>Decisions.</b> Multiclass: the true class is the arg-max of the target row (the one-hot
 * position), the predicted class the arg-max of the output row (ties go to the lowest index, as in
 * {@link Backprop#argMax}). Binary and multilabel: a target or output is positive when it is
 * ≥ 0.5 — the engine's own rule for its training accuracy — so soft targets in [0, 1] count as
 * the class they are closer to (ties to 1).
 */
public sealed interface ClassificationMetrics extends Metrics
        permits MulticlassMetrics, BinaryMetrics, MultilabelMetrics {

    /**
     * Fraction of correct answers. Multiclass: the arg-max output is the true class. Binary: the
     * thresholded output is the true class. Multilabel: the fraction of (row, label) pairs right,
     * i.e. 1 − Hamming loss — not scikit-learn's {@code accuracy_score}, which for multilabel data is
     * the {@linkplain MultilabelMetrics#subsetAccuracy() subset accuracy}.
     */
    double accuracy();

    /**
     * Mean log loss per row, from the outputs taken as probabilities and clamped to
     * [1e−15, 1 − 1e−15] (as scikit-learn's {@code log_loss} did with its former default eps;
     * rows are not renormalised). Multiclass: −Σ_k y_k log p_k per row, which is −log p_true for
     * one-hot targets. Binary and multilabel: −Σ_k [y_k log p_k + (1 − y_k) log(1 − p_k)] per row,
     * summed over the labels like the binary cross-entropy loss per example (so for multilabel it is
     * k times scikit-learn's {@code log_loss}, which averages over labels too).
     */
    double logLoss();

    /**
     * The unweighted mean of the F1 scores: over all k classes (multiclass, equal to
     * scikit-learn's {@code f1_score(y, p, labels=range(k), average="macro", zero_division=0)}, so
     * a class absent from both the targets and the predictions counts as 0), over both classes
     * (binary), or over the labels' positive-class F1 (multilabel, scikit-learn's macro average on
     * indicator matrices). NaN while no rows have been added.
     */
    double macroF1();
}
