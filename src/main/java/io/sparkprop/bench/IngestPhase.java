package io.sparkprop.bench;

import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.io.DataFormat;
import io.sparkprop.spark.SparkSettings;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.RDDInfo;

/**
 * Times the load-and-cache phase of training alone — from the path to the data cached and counted
 * — with sparkprop's readers and with Spark's own, in one local session, the variants alternated
 * round by round so that a machine shared with other work slows them alike. Rounds run the
 * variants forward, then backward (A B … B A), so a drift during a round falls on both sides.
 * Besides the wall clock, each load's CPU seconds (all of the JVM's threads: Spark's tasks, the
 * driver, the garbage collector) are reported: on a loaded machine the wall clock includes waiting
 * for a core, the CPU time much less so.
 *
 * <pre>scripts/bench-ingest-phase.sh   # or, after building, through Spark's submit entry point:
 * IngestPhase FASHION.csv FASHION.libsvm TRAIN-images-idx3-ubyte.gz [ROUNDS [WARMUP [ONLY]]]</pre>
 *
 * The recipe is the one of {@code scripts/bench-ingest.sh}: network relu(256)|relu(128)|softmax(10)
 * on 784 inputs, blocks of 1024 rows, float32, 2 partitions, no standardisation.
 */
public final class IngestPhase {
    private static final int PARTITIONS = 2;
    private static final int BLOCK_SIZE = 1024;
    private static final int WIDTH = 784;

    /** One timed way to load, and what its time covers. */
    private record Variant(String name, String covers, Supplier<IngestLoads.Loaded> load) {
    }

    private IngestPhase() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: IngestPhase FILE.csv FILE.libsvm IMAGES-idx3-ubyte[.gz] [ROUNDS [WARMUP [ONLY]]]");
            System.exit(2);
        }
        String csv = args[0];
        String libsvm = args[1];
        String idx = args[2];
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        // A comma-separated list of variant names, to time (or profile) only those.
        List<String> only = args.length > 5 && !args[5].isBlank() ? List.of(args[5].split("\\s*,\\s*")) : List.of();
        // As the command line builds its session: spark-submit's properties, then sparkprop's defaults.
        SparkConf conf = SparkSettings.applyDefaults(new SparkConf().setIfMissing("spark.master", "local[2]")
                .setIfMissing("spark.app.name", "sparkprop ingest phase"));
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            Network network = Network.parse("relu(256)|relu(128)|softmax(10)", WIDTH);
            IngestLoads loads = new IngestLoads(spark, network,
                    new TrainCache(network, BLOCK_SIZE, Precision.FLOAT32, PARTITIONS));
            StructType doubles = IngestLoads.csvSchema(Path.of(csv), DataTypes.DoubleType);
            StructType ints = IngestLoads.csvSchema(Path.of(csv), DataTypes.IntegerType);
            List<Variant> all = List.of(
                    new Variant("ours CSV", "DataLoader (CsvReader) -> train's blocks", () ->
                            loads.ours(csv, DataFormat.CSV)),
                    new Variant("Spark CSV double", "csv(schema: 785 double) + VectorAssembler -> train's blocks", () ->
                            loads.sparkCsvBlocks(csv, doubles)),
                    new Variant("Spark CSV int", "csv(schema: 785 int) + VectorAssembler -> train's blocks", () ->
                            loads.sparkCsvBlocks(csv, ints)),
                    new Variant("Spark CSV df-cache", "csv(schema: 785 double) + VectorAssembler -> .cache().count()",
                            () -> loads.sparkCsvFrame(csv, doubles)),
                    new Variant("ours LIBSVM", "DataLoader (LibsvmReader, width pass) -> train's blocks", () ->
                            loads.ours(libsvm, DataFormat.LIBSVM)),
                    new Variant("Spark libsvm 784", "libsvm(numFeatures 784) -> train's blocks", () ->
                            loads.sparkLibsvmBlocks(libsvm, WIDTH)),
                    new Variant("Spark libsvm", "libsvm (width pass) -> train's blocks", () ->
                            loads.sparkLibsvmBlocks(libsvm, 0)),
                    new Variant("ours IDX", "DataLoader (IdxReader, gzip) -> train's blocks", () ->
                            loads.ours(idx, DataFormat.IDX)));
            List<Variant> variants = all.stream().filter(v -> only.isEmpty() || only.contains(v.name())).toList();
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("no variant is named in " + only + "; the variants are "
                        + all.stream().map(Variant::name).toList());
            }
            new IngestPhase.Run(spark, variants, rounds, warmup).run();
        } finally {
            spark.stop();
        }
    }

    /** The rounds and the tables. */
    private static final class Run {
        private final SparkSession spark;
        private final List<Variant> variants;
        private final int rounds;
        private final int warmup;
        private final double[][] seconds; // [variant][timed round]: wall clock
        // The JVM's CPU seconds, all threads: less moved by other tenants than the wall clock.
        private final double[][] cpu;
        private final double[][] gc; // seconds the collectors report

        Run(SparkSession spark, List<Variant> variants, int rounds, int warmup) {
            this.spark = spark;
            this.variants = variants;
            this.rounds = rounds;
            this.warmup = warmup;
            this.seconds = new double[variants.size()][rounds];
            this.cpu = new double[variants.size()][rounds];
            this.gc = new double[variants.size()][rounds];
        }

        void run() {
            System.out.printf(Locale.ROOT, "spark %s, master %s, %d partitions, block size %d, float32; %d warm-up "
                    + "round(s), %d timed, the variants' order reversed from each round to the next "
                    + "(the first forward)%n%n",
                    spark.version(), spark.sparkContext().master(), PARTITIONS, BLOCK_SIZE, warmup, rounds);
            System.out.println("| variant | rows | partitions | cached MiB | sum of features | sum of labels |");
            System.out.println("|---|---|---|---|---|---|");
            for (int r = 0; r < warmup + rounds; r++) {
                List<Integer> order = new ArrayList<>();
                for (int v = 0; v < variants.size(); v++) {
                    order.add(v);
                }
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (int v : order) {
                    double[] s = once(variants.get(v), r == 0);
                    if (r >= warmup) {
                        seconds[v][r - warmup] = s[0];
                        cpu[v][r - warmup] = s[1];
                        gc[v][r - warmup] = s[2];
                    }
                }
                if (r == 0) {
                    System.out.println();
                }
                System.out.printf(Locale.ROOT, "%s %d done%n", r < warmup ? "warm-up round" : "round",
                        r < warmup ? r + 1 : r - warmup + 1);
            }
            System.out.println();
            table();
            System.out.println();
            ratios();
        }

        /**
         * One load, timed from the path to the count; checked and described in the first round.
         *
         * @return wall-clock, CPU and garbage-collection seconds
         */
        private double[] once(Variant variant, boolean describe) {
            long cpu0 = cpuNanos();
            long gc0 = gcMillis();
            long start = System.nanoTime();
            IngestLoads.Loaded loaded = variant.load().get();
            double[] elapsed = {(System.nanoTime() - start) / 1e9, (cpuNanos() - cpu0) / 1e9, (gcMillis() - gc0) / 1e3};
            try {
                if (describe) {
                    double[] sums = loaded.checksum();
                    System.out.printf(Locale.ROOT, "| %s | %,d | %d | %.0f | %.0f | %.0f |%n", variant.name(),
                            loaded.rows(), loaded.partitions(), cachedMiB(), sums[0], sums[1]);
                }
            } finally {
                loaded.close();
            }
            System.gc(); // the next variant starts without this one's garbage
            return elapsed;
        }

        private static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long gcMillis() {
            long millis = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                millis += Math.max(0, collector.getCollectionTime());
            }
            return millis;
        }

        /** Memory and disk of everything Spark has cached now. */
        private double cachedMiB() {
            long bytes = 0;
            for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
                bytes += info.memSize() + info.diskSize();
            }
            return bytes / (1024.0 * 1024.0);
        }

        private void table() {
            StringBuilder head = new StringBuilder("| variant | what the time covers |");
            StringBuilder rule = new StringBuilder("|---|---|");
            for (int r = 1; r <= rounds; r++) {
                head.append(" round ").append(r).append(" |");
                rule.append("---|");
            }
            System.out.println(head.append(" median | CPU s (median) | GC s (median) |"));
            System.out.println(rule.append("---|---|---|"));
            for (int v = 0; v < variants.size(); v++) {
                StringBuilder line = new StringBuilder("| " + variants.get(v).name() + " | " + variants.get(v).covers()
                        + " |");
                for (double s : seconds[v]) {
                    line.append(String.format(Locale.ROOT, " %.2f s |", s));
                }
                System.out.println(line.append(String.format(Locale.ROOT, " %.2f s | %.2f | %.2f |", median(seconds[v]),
                        median(cpu[v]), median(gc[v]))));
            }
        }

        /** Ours over Spark's, and the text formats over IDX, for the pairs that ran. */
        private void ratios() {
            String[][] pairs = {{"ours CSV", "Spark CSV double"}, {"ours CSV", "Spark CSV int"},
                {"ours CSV", "Spark CSV df-cache"}, {"ours LIBSVM", "Spark libsvm 784"},
                {"ours LIBSVM", "Spark libsvm"},
                {"ours CSV", "ours IDX"}, {"ours LIBSVM", "ours IDX"}};
            boolean first = true;
            for (String[] pair : pairs) {
                if (index(pair[0]) < 0 || index(pair[1]) < 0) {
                    continue;
                }
                if (first) {
                    System.out.println("| ratio | wall clock, per round | of the wall-clock medians "
                            + "| of the CPU-second medians |");
                    System.out.println("|---|---|---|---|");
                    first = false;
                }
                ratio(pair[0], pair[1]);
            }
        }

        private void ratio(String ours, String theirs) {
            double[] a = seconds[index(ours)];
            double[] b = seconds[index(theirs)];
            StringBuilder perRound = new StringBuilder();
            for (int r = 0; r < rounds; r++) {
                perRound.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", a[r] / b[r]));
            }
            System.out.printf(Locale.ROOT, "| %s / %s | %s | %.2f | %.2f |%n", ours, theirs, perRound,
                    median(a) / median(b), median(cpu[index(ours)]) / median(cpu[index(theirs)]));
        }

        private int index(String name) {
            for (int v = 0; v < variants.size(); v++) {
                if (variants.get(v).name().equals(name)) {
                    return v;
                }
            }
            return -1;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
