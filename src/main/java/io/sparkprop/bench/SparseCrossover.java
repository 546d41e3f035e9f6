package io.sparkprop.bench;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.SparseFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The engine alone, on one thread, over the same random rows as CSR blocks and as dense blocks,
 * at several densities: where the first layer's loops over the non-zeros cost what its GEMMs
 * cost, which is where {@code spark.Blocks} switches to CSR. Prints one line per density, the best
 * of 5 passes of each. Arguments (optional): features (784), first-layer units (256), rows
 * (16384).
 */
public final class SparseCrossover {
    private SparseCrossover() {
    }

    public static void main(String[] args) {
        int features = args.length > 0 ? Integer.parseInt(args[0]) : 784;
        int units = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 16384;
        Network network = Network.parse("relu(" + units + ")|softmax(10)", features, Loss.CATEGORICAL_CROSS_ENTROPY);
        double[] params = Initializer.initialize(network, 1);
        Backprop engine = new Backprop(network);
        System.out.printf(Locale.ROOT, "engine alone, 1 thread, BLAS %s: %d-%d-10, %,d rows in blocks of 1024, "
                + "best of 5 passes (forward and gradient)%n", Backprop.blasName(), features, units, rows);
        for (double density : new double[] {0.01, 0.02, 0.05, 0.10, 0.15, 0.25, 0.5}) {
            List<Block> sparse = new ArrayList<>();
            List<Block> dense = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(1);
            for (int from = 0; from < rows; from += 1024) {
                int n = Math.min(1024, rows - from);
                SparseFeatures.Builder x = new SparseFeatures.Builder(features, Precision.FLOAT64, n,
                        (int) (n * features * density * 1.1));
                double[] xd = new double[n * features];
                double[] y = new double[n * 10];
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < features; i++) {
                        if (random.nextDouble() < density) {
                            double v = random.nextDouble();
                            x.add(i, v);
                            xd[r * features + i] = v;
                        }
                    }
                    x.endRow();
                    y[10 * r + random.nextInt(10)] = 1;
                }
                sparse.add(new Block(x.build(), y, null));
                dense.add(new Block(n, xd, y));
            }
            double csr = Double.MAX_VALUE;
            double gemm = Double.MAX_VALUE;
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                engine.sum(params, sparse.iterator());
                long t1 = System.nanoTime();
                engine.sum(params, dense.iterator());
                long t2 = System.nanoTime();
                csr = Math.min(csr, (t1 - t0) / 1e9);
                gemm = Math.min(gemm, (t2 - t1) / 1e9);
            }
            System.out.printf(Locale.ROOT, "density %.2f: CSR %.3f s, dense %.3f s, CSR/dense %.2f%n", density, csr,
                    gemm, csr / gemm);
        }
    }
}
