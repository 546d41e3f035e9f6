package io.sparkprop.spark;

import io.sparkprop.io.Numbers;

/**
 * Ends training that blows up, before it can be saved: a non-finite loss, gradient or weight, or
 * a loss above {@value #GROWTH} × the larger of 1 and the first step's loss. (A healthy run's
 * loss falls; a thousandfold rise is an exploding run, as with relu and a learning rate of 1e6,
 * whose loss reached 4e220 with every value still finite. The floor of 1 keeps a run that starts
 * near a loss of zero, e.g. from a good initial model, from tripping on ordinary noise.)
 */
final class DivergenceGuard implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** How many times the first step's loss (at least 1) a step's loss may reach. */
    static final double GROWTH = 1000;

    private final double learningRate;
    private double bound = Double.NaN;
    private double lastLoss = Double.NaN;
    private String lastWhere;

    DivergenceGuard(double learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * Checks one step's mean loss and gradient (before the update) and the weights after it.
     *
     * @throws DivergenceException naming the epoch and step, the last finite loss and what to try
     */
    void check(int epoch, int step, int steps, double loss, double[] gradient, double[] weights) {
        String where = steps > 1 ? "epoch " + epoch + ", step " + (step + 1) + " of " + steps : "epoch " + epoch;
        if (!Double.isFinite(loss)) {
            throw diverged(where, "the loss is " + loss);
        }
        if (Double.isNaN(bound)) {
            bound = GROWTH * Math.max(1.0, loss);
        }
        if (loss > bound) {
            throw diverged(where, "the loss " + Numbers.compact(loss, 6) + " is above " + Numbers.compact(bound, 1)
                    + " (" + (long) GROWTH + " × the first step's loss)");
        }
        if (!allFinite(gradient)) {
            throw diverged(where, "the gradient is not finite");
        }
        if (!allFinite(weights)) {
            throw diverged(where, "a weight is not finite after the update");
        }
        lastLoss = loss;
        lastWhere = where;
    }

    /** Checks the loss of the final weights, evaluated after the last epoch. */
    void checkFinal(double loss) {
        if (!Double.isFinite(loss) || !Double.isNaN(bound) && loss > bound) {
            throw diverged("the final evaluation", "the loss is " + Numbers.compact(loss, 6));
        }
    }

    private DivergenceException diverged(String where, String what) {
        String last = lastWhere == null ? " (no step had a finite loss)"
                : "; the last finite loss was " + Numbers.compact(lastLoss, 6) + " at " + lastWhere;
        return new DivergenceException("training diverged at " + where + ": " + what + last
                + ". Nothing was saved: try a smaller learning rate than " + Numbers.compact(learningRate, 6)
                + ", --clip-norm or --standardize");
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
