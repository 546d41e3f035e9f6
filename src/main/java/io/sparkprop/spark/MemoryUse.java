package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.apache.spark.storage.RDDInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The memory a training run held: the driver's true peak heap ({@link HeapPeak}); each
 * executor's peak JVM heap and storage memory, from Spark's executor metrics; and where Spark
 * kept the cached training and validation blocks — in memory, or spilled to disk. In local mode
 * the tasks run in the driver's JVM, so its peak is theirs too and there are no executors.
 *
 * <p>Spark samples an executor's metrics (every {@value SparkSettings#METRICS_POLLING_INTERVAL}
 * with {@link SparkSettings#applyDefaults}, at every heartbeat otherwise) and reports them with
 * heartbeats and finished tasks, so an executor's peak may miss a short spike.
 *
 * @param driverPeakHeap bytes
 * @param driverLiveHeap the most heap in use right after a collection, in bytes (an upper bound
 *        on the data the driver kept live, see {@link HeapPeak#liveBytes}), or -1 if no collection ran
 * @param driverMaxHeap the driver's -Xmx in bytes, or -1 if unlimited
 * @param tasksInDriver whether the tasks ran in the driver's JVM (local mode)
 * @param executors the executors Spark knows, in its order (none in local mode)
 * @param cachedInMemory bytes of the cached blocks Spark holds in memory (its estimate)
 * @param cachedOnDisk bytes of the cached blocks Spark spilled to disk
 */
public record MemoryUse(long driverPeakHeap, long driverLiveHeap, long driverMaxHeap, boolean tasksInDriver,
                        List<ExecutorMemory> executors, long cachedInMemory, long cachedOnDisk) implements java.io.Serializable {
    /** Nothing measured: for results that were not trained here. */
    public static final MemoryUse UNKNOWN = new MemoryUse(-1, -1, -1, true, List.of(), -1, -1);

    public MemoryUse {
        executors = List.copyOf(executors);
    }

    /**
     * One executor, from Spark's executor metrics; -1 where it has not reported them yet.
     *
     * @param peakHeap peak JVM heap in bytes
     * @param peakStorage peak storage memory (cached blocks, broadcasts) in bytes, on and off heap
     * @param maxStorage the storage memory it may use in bytes
     */
    public record ExecutorMemory(String id, String host, long peakHeap, long peakStorage, long maxStorage)
            implements java.io.Serializable {
    }

    /** Measures now: {@code driver}'s peak, the executors' reports so far, and where {@code cached} RDDs are. */
    /**
     * Waits until Spark's listeners have had every event posted so far; a bus that does not drain
     * in Spark's time leaves what depends on it as of what it processed.
     */
    static void drainListenerBus(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            // as far as it got
        }
    }

    static MemoryUse measure(SparkContext sc, HeapPeak driver, List<Integer> cached) {
        drainListenerBus(sc); // the status store has seen every report sent so far
        List<ExecutorMemory> executors = new ArrayList<>();
        if (!sc.isLocal()) {
            for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(true))) {
                if (e.id().equals("driver")) {
                    continue;
                }
                ExecutorMetrics peak = e.peakMemoryMetrics().isDefined() ? e.peakMemoryMetrics().get() : null;
                executors.add(new ExecutorMemory(e.id(), e.hostPort(),
                        peak == null ? -1 : peak.getMetricValue("JVMHeapMemory"),
                        peak == null ? -1 : peak.getMetricValue("OnHeapStorageMemory")
                                + peak.getMetricValue("OffHeapStorageMemory"),
                        e.maxMemory()));
            }
        }
        long inMemory = 0;
        long onDisk = 0;
        for (RDDInfo info : sc.getRDDStorageInfo()) {
            if (cached.contains(info.id())) {
                inMemory += info.memSize();
                onDisk += info.diskSize();
            }
        }
        return new MemoryUse(driver.bytes(), driver.liveBytes(), HeapPeak.maxBytes(), sc.isLocal(), executors,
                inMemory, onDisk);
    }

    /** The executors' largest peak heap in bytes, or -1 if none reported one. */
    public long executorPeakHeap() {
        return executors.stream().mapToLong(ExecutorMemory::peakHeap).max().orElse(-1);
    }

    /**
     * The peaks in a few words: "peak heap 212 MiB" in local mode, "peak heap 312 MiB driver, 845
     * MiB executor" on a cluster (the largest executor's; "unknown" before any reported).
     */
    public String peakHeaps() {
        String driver = "peak heap " + mib(driverPeakHeap);
        if (tasksInDriver) {
            return driver;
        }
        long executor = executorPeakHeap();
        return driver + " driver, " + (executor < 0 ? "unknown" : mib(executor)) + " executor";
    }

    /**
     * One line for people, e.g. "driver peak heap 312 MiB of 1,024 MiB, at most 95 MiB left after a
     * collection; 2 executors: peak heap 845 MiB (largest), storage 96 MiB of 434 MiB; cached blocks
     * 90.1 MiB in memory, 0.0 MiB on disk".
     */
    public String describe() {
        StringBuilder s = new StringBuilder(tasksInDriver ? "peak heap " : "driver peak heap ")
                .append(mib(driverPeakHeap));
        if (driverMaxHeap > 0) {
            s.append(" of ").append(mib(driverMaxHeap));
        }
        if (driverLiveHeap >= 0) {
            s.append(", at most ").append(mib(driverLiveHeap)).append(" left after a collection");
        }
        if (tasksInDriver) {
            s.append(" (driver and tasks, one JVM)");
        } else if (executors.isEmpty()) {
            s.append("; no executor reported");
        } else {
            s.append("; ").append(executors.size()).append(executors.size() == 1 ? " executor" : " executors");
            long heap = executorPeakHeap();
            if (heap < 0) {
                s.append(": no metrics reported yet");
            } else {
                long storage = executors.stream().mapToLong(ExecutorMemory::peakStorage).max().orElse(-1);
                long maxStorage = executors.stream().mapToLong(ExecutorMemory::maxStorage).max().orElse(-1);
                s.append(": peak heap ").append(mib(heap)).append(executors.size() == 1 ? "" : " (largest)")
                        .append(", storage ").append(mib(storage)).append(" of ").append(mib(maxStorage));
            }
        }
        s.append(String.format(Locale.ROOT, "; cached blocks %.1f MiB in memory, %.1f MiB on disk",
                cachedInMemory / 1048576.0, cachedOnDisk / 1048576.0));
        if (cachedOnDisk > 0) {
            s.append(tasksInDriver ? " (spilled, read back every epoch: more driver memory keeps it in memory)" : " (spilled, read back every epoch: more executor memory keeps it in memory)");
        }
        return s.toString();
    }

    /** The figures as plain values, in bytes, for the model's record. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("driverPeakHeapBytes", driverPeakHeap);
        json.put("driverLiveHeapBytes", driverLiveHeap);
        json.put("driverMaxHeapBytes", driverMaxHeap);
        json.put("tasksInDriver", tasksInDriver);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ExecutorMemory e : executors) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", e.id());
            one.put("host", e.host());
            one.put("peakHeapBytes", e.peakHeap());
            one.put("peakStorageBytes", e.peakStorage());
            one.put("maxStorageBytes", e.maxStorage());
            list.add(one);
        }
        json.put("executors", list);
        json.put("cachedInMemoryBytes", cachedInMemory);
        json.put("cachedOnDiskBytes", cachedOnDisk);
        return json;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }
}
