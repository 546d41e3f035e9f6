package io.sparkprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkprop.engine.EpochFlops;
import io.sparkprop.engine.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the BLAS in use can do on the GEMMs of an epoch: every thread runs exactly the GEMM calls
 * of the engine's forward and backward passes over blocks of {@code blockRows} rows (same shapes,
 * same transposes), nothing else, concurrently on {@code threads} threads. The result is the rate
 * an epoch would reach if it were nothing but its matrix products — the ceiling for the trainer.
 */
public final class GemmPeak implements AutoCloseable {
    private final Network network;
    private final int blockRows;
    private final int threads;
    private final ExecutorService pool;

    public GemmPeak(Network network, int blockRows, int threads) {
        this.network = network;
        this.blockRows = blockRows;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads);
    }

    /**
     * One round: every thread runs the GEMMs of {@code blocksPerThread} blocks at once; returns the
     * aggregate GFLOP/s (FLOPs of all threads over the slowest thread's time).
     */
    public double round(int blocksPerThread, boolean single) throws Exception {
        List<Future<Long>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> single ? runSingle(blocksPerThread) : runDouble(blocksPerThread)));
        }
        long slowest = 0;
        for (Future<Long> f : running) {
            slowest = Math.max(slowest, f.get());
        }
        return EpochFlops.of(network, (long) blockRows * blocksPerThread * threads) / slowest;
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    private long runDouble(int blocks) {
        BLAS blas = BLAS.getInstance();
        int depth = network.depth();
        double[] w = new double[network.parameterCount()];
        double[][] a = new double[depth + 1][];
        double[][] d = new double[depth + 1][];
        for (int l = 0; l <= depth; l++) {
            int units = l == 0 ? network.inputSize() : network.units(l - 1);
            a[l] = filled(units * blockRows);
            d[l] = filled(units * blockRows);
        }
        double[] grad = new double[w.length];
        long start = System.nanoTime();
        for (int b = 0; b < blocks; b++) {
            for (int l = 0; l < depth; l++) {
                blas.dgemm("T", "N", network.units(l), blockRows, network.fanIn(l), 1.0, w, network.weightOffset(l),
                        network.fanIn(l), a[l], 0, network.fanIn(l), 1.0, a[l + 1], 0, network.units(l));
            }
            for (int l = depth - 1; l >= 0; l--) {
                blas.dgemm("N", "T", network.fanIn(l), network.units(l), blockRows, 1.0, a[l], 0, network.fanIn(l),
                        d[l + 1], 0, network.units(l), 1.0, grad, network.weightOffset(l), network.fanIn(l));
                if (l > 0) {
                    blas.dgemm("N", "N", network.fanIn(l), blockRows, network.units(l), 1.0, w, network.weightOffset(l),
                            network.fanIn(l), d[l + 1], 0, network.units(l), 0.0, d[l], 0, network.fanIn(l));
                }
            }
        }
        return System.nanoTime() - start;
    }

    private long runSingle(int blocks) {
        BLAS blas = BLAS.getInstance();
        int depth = network.depth();
        float[] w = new float[network.parameterCount()];
        float[][] a = new float[depth + 1][];
        float[][] d = new float[depth + 1][];
        for (int l = 0; l <= depth; l++) {
            int units = l == 0 ? network.inputSize() : network.units(l - 1);
            a[l] = new float[units * blockRows];
            d[l] = new float[units * blockRows];
            java.util.Arrays.fill(a[l], 0.5f);
            java.util.Arrays.fill(d[l], 0.25f);
        }
        float[] grad = new float[w.length];
        long start = System.nanoTime();
        for (int b = 0; b < blocks; b++) {
            for (int l = 0; l < depth; l++) {
                blas.sgemm("T", "N", network.units(l), blockRows, network.fanIn(l), 1.0f, w, network.weightOffset(l),
                        network.fanIn(l), a[l], 0, network.fanIn(l), 1.0f, a[l + 1], 0, network.units(l));
            }
            for (int l = depth - 1; l >= 0; l--) {
                blas.sgemm("N", "T", network.fanIn(l), network.units(l), blockRows, 1.0f, a[l], 0, network.fanIn(l),
                        d[l + 1], 0, network.units(l), 1.0f, grad, network.weightOffset(l), network.fanIn(l));
                if (l > 0) {
                    blas.sgemm("N", "N", network.fanIn(l), blockRows, network.units(l), 1.0f, w, network.weightOffset(l),
                            network.fanIn(l), d[l + 1], 0, network.units(l), 0.0f, d[l], 0, network.fanIn(l));
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static double[] filled(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 0.5);
        return x;
    }
}
