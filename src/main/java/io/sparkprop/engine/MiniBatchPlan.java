package io.sparkprop.engine;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which rows every partition contributes to each synchronous mini-batch step, as a pure function
 * of the seed, the epoch, the step and the partition — so a Spark task can work out its share
 * from its own blocks alone, and a plain loop on one machine can replay the same steps.
 *
 * <p>An epoch has {@code S = ⌈N / B⌉} steps for N rows and a global batch of B rows. At the start of
 * every epoch each partition shuffles its {@code n} rows (a permutation seeded by seed, epoch and
 * partition) and cuts the permutation into S consecutive slices; step s takes slice s. So each
 * partition contributes its proportional share {@code ≈ n·B/N} to every step, and an epoch
 * visits every row exactly once. The slice boundaries {@code ⌊(s·n + φ)/S⌋} carry a phase φ that
 * differs by partition: with small partitions (n < S) their rows then fall on different steps
 * instead of all on the same ones, so steps do not alternate between empty and double-sized.
 */
public final class MiniBatchPlan implements Serializable {
    private final long seed;
    private final int stepsPerEpoch;
    private final int partitions;

    /**
     * @param totalRows N, the rows of all partitions together
     * @param batchSize B, the rows of one step summed over the partitions
     */
    public MiniBatchPlan(long seed, long totalRows, int batchSize, int partitions) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (totalRows < 1 || partitions < 1) {
            throw new IllegalArgumentException("a mini-batch plan needs rows and partitions, got " + totalRows
                    + " rows in " + partitions + " partitions");
        }
        long steps = (totalRows + batchSize - 1) / batchSize;
        if (steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch size " + batchSize + " gives more than 2^31 steps per epoch");
        }
        this.seed = seed;
        this.stepsPerEpoch = (int) steps;
        this.partitions = partitions;
    }

    /** The seed the shuffles derive from. */
    public long seed() {
        return seed;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * The rows (indices into the partition's rows, in visiting order) that {@code partition},
     * holding {@code rows} rows, contributes to {@code step} of {@code epoch}.
     */
    public int[] rows(int epoch, int step, int partition, int rows) {
        return slice(permutation(epoch, partition, rows), step, partition);
    }

    /**
     * Step {@code step}'s slice of {@code order}, the {@link #permutation} of the partition's rows
     * in an epoch: the same rows as {@link #rows}, for a caller that keeps the permutation over
     * the epoch's steps.
     */
    public int[] slice(int[] order, int step, int partition) {
        requireInPlan(step, partition);
        return Arrays.copyOfRange(order, sliceStart(step, partition, order.length),
                sliceStart(step + 1, partition, order.length));
    }

    private void requireInPlan(int step, int partition) {
        if (step < 0 || step >= stepsPerEpoch || partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("step " + step + " of partition " + partition + " is outside the plan ("
                    + stepsPerEpoch + " steps, " + partitions + " partitions)");
        }
    }

    /**
     * How many rows {@code partition}, holding {@code rows} rows, contributes to each epoch's step
     * {@code step}: the length of {@link #rows}, without the shuffle.
     */
    public int shareSize(int step, int partition, int rows) {
        return sliceStart(step + 1, partition, rows) - sliceStart(step, partition, rows);
    }

    /** Where slice {@code step} of the partition's shuffled rows starts ({@code step} may be the step count). */
    private int sliceStart(int step, int partition, int rows) {
        long phase = (long) partition * stepsPerEpoch / partitions;
        return (int) (((long) step * rows + phase) / stepsPerEpoch);
    }

    /**
     * The order in which {@code partition}, holding {@code rows} rows, visits them in {@code
     * epoch}: a uniformly random permutation of {@code 0..rows−1} (Fisher–Yates), O(rows).
     */
    public int[] permutation(int epoch, int partition, int rows) {
        SplittableRandom random = new SplittableRandom(
                seed ^ 0x9E3779B97F4A7C15L * (epoch + 1) ^ 0xC2B2AE3D27D4EB4FL * (partition + 1));
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
