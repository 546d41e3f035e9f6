package io.sparkprop.spark;

import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Standardization;
import io.sparkprop.optim.UpdateState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a run needs to continue from a point between two steps and end with the same bits as
 * if it had never stopped: the weights, the optimizer's state, where the run is (epochs and steps
 * done; the mini-batch shuffles and the schedule are functions of the seed, the epoch and the
 * step, so the position is all their state), the running totals of the epoch in progress, the
 * early-stopping and tolerance bookkeeping, the divergence guard and the history so far. Saved in
 * a checkpoint as Java serialization, which keeps every double to the bit; a checkpoint is read
 * back only by the same version of sparkprop (its classes carry their serialVersionUID).
 *
 * @param epoch whole epochs done
 * @param step steps of the next epoch done
 * @param params the weights after those steps
 * @param update the optimizer's state
 * @param standardization the standardisation the run trains with, or null
 * @param seen the epoch in progress' loss, count and correct answers so far
 * @param rate the learning rate of the last step of the epoch in progress (NaN before its first)
 * @param bestLoss the lowest validation loss so far (early stopping)
 * @param bestEpoch the epoch that reached it, 0 before any
 * @param best that epoch's weights, or null
 * @param previousLoss the last whole epoch's mean training loss (tol), NaN before any
 * @param guard the divergence guard's bound and last loss
 * @param history one entry per whole epoch done
 */
record RunState(int epoch, int step, double[] params, UpdateState.Snapshot update, Standardization standardization,
                GradientSum seen, double rate, double bestLoss, int bestEpoch, double[] best, double previousLoss,
                DivergenceGuard guard, List<EpochStats> history) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Only what a state holds may be read back from a checkpoint file. */
    private static final ObjectInputFilter CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;io.sparkprop.**;java.lang.*;java.util.*;[D;[J;[I;[[D;!*");

    byte[] toBytes() {
        return JavaBytes.of(this);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a state this version of sparkprop wrote
     */
    static RunState fromBytes(byte[] bytes, String where) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(CLASSES);
            return (RunState) in.readObject();
        } catch (InvalidClassException | ClassNotFoundException e) {
            throw new IllegalArgumentException(where + " was written by another version of sparkprop (" + e.getMessage()
                    + "); resume it with that version, or start afresh in an empty checkpoint directory");
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e);
        }
    }
}
