package io.sparkprop.engine;

import java.nio.ByteBuffer;

/**
 * What one pass over some examples adds up: the gradient of the loss <em>summed</em> over the
 * examples, the summed loss, the number of examples, their total weight and the weight of those
 * the network classified correctly. Sums, not means, so that partial results from blocks and
 * partitions of any size merge exactly; the trainer divides by {@link #weight()} once. Rows
 * without weights weigh 1, so the weight is the row count (exactly, as a double).
 *
 * <p>Mutable on purpose: it is the accumulator of an aggregation (the seqOp adds into it, the
 * combOp {@link #merge}s), so no per-block allocation is needed. Serializable, as each task's sum
 * travels to the driver with Kryo or with Spark's default Java serialization.
 */
public final class GradientSum implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] gradient;
    private double loss;
    private long count;
    private double weight;
    private double correct;
    private long computeNanos;

    /** A zero sum for a network with {@code parameterCount} parameters. */
    public GradientSum(int parameterCount) {
        this.gradient = new double[parameterCount];
    }

    /** Adds {@code other} into this sum (in place) and returns this. */
    public GradientSum merge(GradientSum other) {
        if (other.gradient.length != gradient.length) {
            throw new IllegalArgumentException("cannot merge gradient sums of lengths "
                    + gradient.length + " and " + other.gradient.length);
        }
        double[] g = other.gradient;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] += g[i];
        }
        return mergeTotals(other);
    }

    /**
     * Adds {@code other}'s loss, count, correct answers and compute time, not its gradient: the
     * running totals of an epoch made of several steps.
     */
    public GradientSum mergeTotals(GradientSum other) {
        loss += other.loss;
        count += other.count;
        weight += other.weight;
        correct += other.correct;
        computeNanos += other.computeNanos;
        return this;
    }

    /** Records the loss, size, weight and weight of the correct answers of one batch whose gradient was added in place. */
    void addBatch(double batchLoss, int rows, double batchWeight, double batchCorrect) {
        loss += batchLoss;
        count += rows;
        weight += batchWeight;
        correct += batchCorrect;
    }

    /** Adds the wall-clock time an engine spent producing this sum. */
    void addComputeNanos(long nanos) {
        computeNanos += nanos;
    }

    /**
     * Nanoseconds the engine spent in the passes behind this sum, added over the tasks that
     * produced it: step time minus this over the parallel slots is what Spark itself cost.
     */
    public long computeNanos() {
        return computeNanos;
    }

    /** The summed gradient; the engine accumulates into this array directly. */
    public double[] gradient() {
        return gradient;
    }

    public double loss() {
        return loss;
    }

    public long count() {
        return count;
    }

    /** The total weight of the examples: their number when they are unweighted. */
    public double weight() {
        return weight;
    }

    /** The weight of the examples classified correctly (their number when unweighted). */
    public double correct() {
        return correct;
    }

    /** Mean loss per unit of weight (per example when unweighted). */
    public double meanLoss() {
        return loss / weight;
    }

    /** Weighted fraction of examples classified correctly. */
    public double accuracy() {
        return correct / weight;
    }

    /**
     * This sum as bytes, every value exactly (big-endian IEEE 754): what a barrier task sends its
     * peers. {@link #fromBytes} reads it back.
     */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + Double.BYTES * (gradient.length + 3) + 2 * Long.BYTES);
        buffer.putInt(gradient.length).putDouble(loss).putLong(count).putDouble(weight).putDouble(correct)
                .putLong(computeNanos);
        buffer.asDoubleBuffer().put(gradient);
        return buffer.array();
    }

    /** The sum {@link #toBytes} wrote. */
    public static GradientSum fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        GradientSum sum = new GradientSum(buffer.getInt());
        sum.loss = buffer.getDouble();
        sum.count = buffer.getLong();
        sum.weight = buffer.getDouble();
        sum.correct = buffer.getDouble();
        sum.computeNanos = buffer.getLong();
        buffer.asDoubleBuffer().get(sum.gradient);
        return sum;
    }

    /** A new array holding the gradient divided by the total weight (the number of examples when unweighted). */
    public double[] meanGradient() {
        return meanGradient(new double[gradient.length]);
    }

    /** {@link #meanGradient()} written into {@code mean}, which has the gradient's length. */
    public double[] meanGradient(double[] mean) {
        double inv = 1.0 / weight;
        for (int i = 0; i < gradient.length; i++) {
            mean[i] = gradient[i] * inv;
        }
        return mean;
    }
}
