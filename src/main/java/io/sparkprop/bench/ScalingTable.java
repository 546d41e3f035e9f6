package io.sparkprop.bench;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.spark.StepCostModel;
import java.util.Locale;

/**
 * Prints docs/SCALING.md's prediction tables from {@link StepCostModel}: seconds per epoch and
 * speed-up over one executor, for 1–256 executors, a small and a large network, full-batch and
 * mini-batch steps. Arguments (all optional): GFLOP/s per core, bandwidth in bytes/s, scheduling
 * seconds per step, cores per executor, rows, batch size.
 */
public final class ScalingTable {
    private ScalingTable() {
    }

    public static void main(String[] args) {
        StepCostModel reference = StepCostModel.reference(Precision.FLOAT64, false);
        double gflops = args.length > 0 ? Double.parseDouble(args[0]) : reference.gflopsPerCore();
        double bandwidth = args.length > 1 ? Double.parseDouble(args[1]) : reference.bytesPerSecond();
        double scheduling = args.length > 2 ? Double.parseDouble(args[2]) : reference.schedulingSeconds();
        int coresPerExecutor = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        long rows = args.length > 4 ? Long.parseLong(args[4]) : 1_000_000;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 8192;
        StepCostModel model = new StepCostModel(gflops, bandwidth, scheduling, reference.syncSeconds());
        System.out.printf(Locale.ROOT, "model: %.0f GFLOP/s per core, %.2f GB/s, %.0f ms per job; %d cores per "
                + "executor, one partition per core, aggregation depth 2; %,d rows%n%n", gflops, bandwidth / 1e9,
                1e3 * scheduling, coresPerExecutor, rows);
        Network small = Network.of(new int[] {784, 256, 128, 10}, Activation.RELU, Activation.SOFTMAX,
                Loss.CATEGORICAL_CROSS_ENTROPY);
        Network large = Network.of(new int[] {1024, 4096, 4096, 1024, 10}, Activation.RELU, Activation.SOFTMAX,
                Loss.CATEGORICAL_CROSS_ENTROPY);
        for (Network network : new Network[] {small, large}) {
            table(model, network, rows, rows, coresPerExecutor);
            table(model, network, rows, batch, coresPerExecutor);
        }
    }

    private static void table(StepCostModel model, Network network, long rows, long batch, int coresPerExecutor) {
        long steps = (rows + batch - 1) / batch;
        System.out.printf(Locale.ROOT, "%s, %,d parameters, %s (%,d step%s per epoch)%n%n", network.spec(),
                network.parameterCount(), batch >= rows ? "full batch" : "batch " + batch, steps, steps == 1 ? "" : "s");
        System.out.println("| executors | compute / step | communication / step | path | epoch | speed-up | "
                + "communication share |");
        System.out.println("|---|---|---|---|---|---|---|");
        double one = 0;
        for (int executors = 1; executors <= 256; executors *= 2) {
            int cores = executors * coresPerExecutor;
            StepCostModel.Estimate e = model.estimate(network, batch, cores, executors, cores, 2, (int) steps);
            // What --sync auto takes: barrier steps for mini-batches when they are estimated cheaper.
            boolean barrier = steps > 1 && e.barrierCheaper();
            double communication = barrier ? e.barrierCommunication() : e.communication();
            double epoch = steps * (e.compute() + communication);
            if (executors == 1) {
                one = epoch;
            }
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.1f× | %.0f%% |%n", executors,
                    time(e.compute()), time(communication), barrier ? "barrier" : "jobs", time(epoch), one / epoch,
                    100 * communication / (e.compute() + communication));
        }
        System.out.println();
    }

    private static String time(double seconds) {
        return seconds >= 1 ? String.format(Locale.ROOT, "%.2f s", seconds)
                : String.format(Locale.ROOT, "%.1f ms", 1e3 * seconds);
    }
}
