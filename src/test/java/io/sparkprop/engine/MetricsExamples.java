package io.sparkprop.engine;

/** Small evaluations with values worked out by hand, shared by the metrics tests and the renderers' tests. */
public final class MetricsExamples {
    private MetricsExamples() {
    }

    // Six rows, three classes. True class, output probabilities, predicted (arg-max) class:
    //   r0  0  [0.7 0.2 0.1]  0
    //   r1  0  [0.5 0.4 0.1]  0
    //   r2  1  [0.6 0.3 0.1]  0
    //   r3  1  [0.2 0.7 0.1]  1
    //   r4  2  [0.1 0.8 0.1]  1
    //   r5  2  [0.3 0.6 0.1]  1     class 2 is never predicted
    static final double[] MC_OUT = {
        0.7, 0.2, 0.1,
        0.5, 0.4, 0.1,
        0.6, 0.3, 0.1,
        0.2, 0.7, 0.1,
        0.1, 0.8, 0.1,
        0.3, 0.6, 0.1};
    static final double[] MC_TARGET = {
        1, 0, 0,
        1, 0, 0,
        0, 1, 0,
        0, 1, 0,
        0, 0, 1,
        0, 0, 1};

    /** A copy of the six rows' outputs above. */
    public static double[] multiclassOutputs() {
        return MC_OUT.clone();
    }

    /** A copy of the six rows' one-hot targets above. */
    public static double[] multiclassTargets() {
        return MC_TARGET.clone();
    }

    /**
     * The six rows above with a summed loss of 3: loss 0.5, accuracy 0.5, F1 per class
     * {0.8, 0.4, 0}, macro F1 0.4, log loss 1.2026066764585728, confusion {{2,0,0},{1,1,0},{0,2,0}}.
     */
    public static MulticlassMetrics multiclass() {
        MulticlassMetrics m = new MulticlassMetrics(3);
        m.add(MC_OUT, MC_TARGET, 6, 3.0);
        return m;
    }

    /**
     * Four rows of two outputs with a summed loss of 1.625:
     * output 0: y [1 2 3 4], o [1.5 2 2 4], errors [.5 0 −1 0]: SSE 1.25, RMSE √0.3125 =
     * 0.5590169943749475, MAE 0.375, ȳ 2.5, SS_tot 5, R² 0.75;
     * output 1: y [0 0 2 2], o [1 0 2 1], errors [1 0 0 −1]: SSE 2, RMSE √0.5 = 0.7071067811865476,
     * MAE 0.5, ȳ 1, SS_tot 4, R² 0.5.
     */
    public static RegressionMetrics regression() {
        RegressionMetrics m = new RegressionMetrics(2);
        m.add(new double[] {1.5, 1, 2, 0, 2, 2, 4, 1}, new double[] {1, 0, 2, 0, 3, 2, 4, 2}, 4, 1.625);
        return m;
    }

    /**
     * Four rows of three labels with a summed loss of 4 (see {@code MultilabelMetricsTest}):
     * <pre>
     * targets      outputs           predictions  wrong
     * r0 [1 0 1]   [0.8 0.3 0.4]     [1 0 0]      label 2 (fn)
     * r1 [0 1 1]   [0.6 0.9 0.7]     [1 1 1]      label 0 (fp)
     * r2 [1 1 0]   [0.7 0.2 0.1]     [1 0 0]      label 1 (fn)
     * r3 [0 0 0]   [0.1 0.4 0.2]     [0 0 0]      —
     * </pre>
     */
    public static MultilabelMetrics multilabel() {
        MultilabelMetrics m = new MultilabelMetrics(3);
        m.add(new double[] {0.8, 0.3, 0.4, 0.6, 0.9, 0.7, 0.7, 0.2, 0.1, 0.1, 0.4, 0.2},
                new double[] {1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0}, 4, 4.0);
        return m;
    }

    /**
     * Five rows of one sigmoid output with a summed loss of 2.5 (see {@code BinaryMetricsTest}):
     * y [1 1 0 0 1], p [0.9 0.4 0.2 0.6 0.5]: tp, fn, tn, fp, tp (0.5 counts as positive).
     */
    public static BinaryMetrics binary() {
        BinaryMetrics m = new BinaryMetrics();
        m.add(new double[] {0.9, 0.4, 0.2, 0.6, 0.5}, new double[] {1, 1, 0, 0, 1}, 5, 2.5);
        return m;
    }
}
