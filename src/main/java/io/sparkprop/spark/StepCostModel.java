package io.sparkprop.spark;

import io.sparkprop.engine.EpochFlops;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import java.util.Locale;

/**
 * The cost model of a synchronous step from docs/SCALING.md:
 *
 * <pre>
 *   compute     = FLOPs of the step's rows / (GFLOP/s per core × cores)
 *   broadcast   = parameters × 8 bytes × executors / bandwidth
 *   aggregation = parameters × 8 bytes × (merges on the tree's critical path) / bandwidth
 *   scheduling  = a fixed cost per step (one Spark job)
 * </pre>
 *
 * and of the same step with {@link BarrierSteps}, where one job runs many steps and the tasks
 * exchange their partial sums through the driver ({@link SumExchange}):
 *
 * <pre>
 *   exchange    = parameters × 8 bytes × 2 × partitions / bandwidth (every sum in, the merged sum out to each)
 *   sync        = a fixed cost per step (a round trip through the driver, waking the tasks)
 *   scheduling  = the fixed cost of one job, spread over the steps it runs
 * </pre>
 *
 * The aggregation's critical path: each of the tree's levels merges {@code scale = ⌈n^(1/d)⌉}
 * partial sums into one (n partitions, depth d), and the driver receives the last level, so about
 * {@code d × scale} sums of 8 bytes per parameter arrive one after another. The broadcast term is
 * the upper bound (the driver serving every executor); Spark's torrent broadcast lets
 * executors serve each other, so large clusters do better than this term.
 *
 * @param gflopsPerCore what the engine sustains on one core
 * @param bytesPerSecond network bandwidth between driver and executors
 * @param schedulingSeconds fixed cost of one Spark job
 * @param syncSeconds fixed cost of one barrier exchange
 */
public record StepCostModel(double gflopsPerCore, double bytesPerSecond, double schedulingSeconds,
                            double syncSeconds) {
    /** One barrier exchange in local mode, and on the standalone cluster of docs/SCALING.md. */
    static final double SYNC_LOCAL = 0.002;
    static final double SYNC_CLUSTER = 0.002;

    /**
     * Measured on the 2-core reference machine of docs/SCALING.md with OpenBLAS: float64 ≈ 25 and
     * float32 ≈ 50 GFLOP/s per core; a step's fixed cost ≈ 25 ms in local mode and ≈ 130 ms on the
     * standalone cluster (driver, master, workers and executors sharing the two cores); the
     * network is assumed to be 10 Gbit/s (loopback is not a network). A starting point, which a
     * run's first epochs then check: each epoch line gives the measured overhead per step.
     */
    public static StepCostModel reference(Precision precision, boolean local) {
        return new StepCostModel(precision == Precision.FLOAT32 ? 50 : 25, 1.25e9, local ? 0.025 : 0.130,
                local ? SYNC_LOCAL : SYNC_CLUSTER);
    }

    /**
     * The estimated seconds of each term of one step: one job per step, and with barrier steps
     * ({@code exchange}, {@code sync} and {@code barrierScheduling} replacing the last three).
     */
    public record Estimate(double compute, double broadcast, double aggregation, double scheduling, double exchange,
                           double sync, double barrierScheduling) {
        public double communication() {
            return broadcast + aggregation + scheduling;
        }

        public double barrierCommunication() {
            return exchange + sync + barrierScheduling;
        }

        public boolean communicationDominates() {
            return communication() > compute;
        }

        /** Whether barrier steps are estimated to cost less than a job per step. */
        public boolean barrierCheaper() {
            return barrierCommunication() < communication();
        }

        public String describe() {
            return String.format(Locale.ROOT, "compute %.1f ms, communication %.1f ms (broadcast %.1f, aggregation "
                    + "%.1f, scheduling %.1f); with barrier steps %.1f ms (exchange %.1f, sync %.1f, scheduling "
                    + "%.1f)", 1e3 * compute, 1e3 * communication(), 1e3 * broadcast, 1e3 * aggregation,
                    1e3 * scheduling, 1e3 * barrierCommunication(), 1e3 * exchange, 1e3 * sync,
                    1e3 * barrierScheduling);
        }
    }

    /**
     * @param rowsPerStep the step's rows over all partitions (the batch, or all rows)
     * @param cores task slots working on the step at once
     * @param stepsPerJob the steps one barrier job runs (an epoch's, or fewer between checkpoints)
     */
    public Estimate estimate(Network network, long rowsPerStep, int cores, int executors, int partitions, int depth,
                             int stepsPerJob) {
        double bytes = 8.0 * network.parameterCount();
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        int merges = partitions <= 1 ? 1 : Math.min(partitions, depth * scale);
        return new Estimate(
                EpochFlops.of(network, rowsPerStep) / (gflopsPerCore * 1e9 * Math.max(1, cores)),
                bytes * Math.max(1, executors) / bytesPerSecond,
                bytes * merges / bytesPerSecond,
                schedulingSeconds,
                bytes * 2.0 * partitions / bytesPerSecond,
                syncSeconds,
                schedulingSeconds / Math.max(1, stepsPerJob));
    }

    /** A step of a job that runs only that step. */
    public Estimate estimate(Network network, long rowsPerStep, int cores, int executors, int partitions, int depth) {
        return estimate(network, rowsPerStep, cores, executors, partitions, depth, 1);
    }
}
