package io.sparkprop.spark;

import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.optim.UpdateState;
import java.io.Serializable;

/**
 * What a step does with the gradient summed over its rows, and the state that carries from step
 * to step: the weights, the optimizer's state, the divergence guard and the epoch's running
 * totals. The driver applies each step job's sum to its one copy; with {@link BarrierSteps} every
 * task applies the same sums to its own copy, so the copies stay bitwise equal to each other and
 * to the driver's.
 */
final class StepState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final MiniBatchPlan plan; // null: full batch, one step per epoch
    private final long[] partitionRows;
    private final int steps;
    final double[] params;
    final UpdateState update;
    DivergenceGuard guard;
    GradientSum seen = new GradientSum(0); // loss, count and correct answers over the epoch's steps
    double rate = Double.NaN;
    private transient double[] mean; // scratch of apply: a step allocates no gradient-sized array

    StepState(MiniBatchPlan plan, long[] partitionRows, double[] params, UpdateState update, DivergenceGuard guard) {
        this.plan = plan;
        this.partitionRows = partitionRows;
        this.steps = plan == null ? 1 : plan.stepsPerEpoch();
        this.params = params;
        this.update = update;
        this.guard = guard;
    }

    /** Starts an epoch's totals. */
    void startEpoch() {
        seen = new GradientSum(0);
        rate = Double.NaN;
    }

    /**
     * Step {@code step} of the 0-based {@code epoch}: checks that {@code sum} holds the rows the
     * plan gives the step, then updates the weights with its mean gradient.
     *
     * @throws InvalidDataException if the step summed other rows than it should
     * @throws DivergenceException if the loss, gradient or new weights blow up
     */
    void apply(GradientSum sum, int epoch, int step) {
        requireRows(epoch, step, sum.count());
        if (sum.weight() == 0) {
            return; // tiny partitions (or zero weights) can leave a step without rows to learn from
        }
        if (mean == null) {
            mean = new double[params.length];
        }
        sum.meanGradient(mean);
        rate = update.step(params, mean, epoch + (double) step / steps);
        guard.check(epoch + 1, step, steps, sum.meanLoss(), mean, params);
        seen.mergeTotals(sum);
    }

    /**
     * Checks that a step summed exactly the rows it should: cached blocks lost with an executor
     * are rebuilt from the input, and input that changed since it was read would rebuild other
     * rows.
     */
    private void requireRows(int epoch, int step, long summed) {
        long expected = 0;
        for (int p = 0; p < partitionRows.length; p++) {
            expected += plan == null ? partitionRows[p] : plan.shareSize(step, p, (int) partitionRows[p]);
        }
        if (summed != expected) {
            throw new InvalidDataException("epoch " + (epoch + 1) + (steps > 1 ? ", step " + (step + 1) : "")
                    + " summed " + summed + " rows, expected " + expected + ": cached data lost with an executor "
                    + "was rebuilt from input that changed since it was read; expected input that does not change "
                    + "during a run");
        }
    }
}
