package io.sparkprop.spark;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM held while watched. Heap use only grows between collections, so its
 * peaks are the moments just before each collection: the JVM's collection notifications report
 * every pool's use then, and their sum (with the use at the start and end of the watch) is the
 * true peak. Adding up each pool's own peak, as {@link MemoryPoolMXBean#getPeakUsage} invites,
 * overstates it: the young and old pools peak at different times (it reported 1,486 MiB under
 * {@code -Xmx1g}).
 *
 * <p>The peak counts garbage not yet collected, so with a large heap it follows the heap's size
 * more than the program's needs. The most heap in use right after a collection ({@link
 * #liveBytes}) is closer: an upper bound on the data the program kept live, loose only by the
 * old generation's garbage that young collections leave.
 */
public final class HeapPeak implements AutoCloseable {
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final AtomicLong peak = new AtomicLong(heapUsedNow());
    private final AtomicLong live = new AtomicLong(-1);
    private final NotificationListener listener = this::collected;
    private final List<NotificationEmitter> watched = new ArrayList<>();

    private HeapPeak() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                watched.add(emitter);
            }
        }
    }

    /** Starts watching; {@link #close} stops. */
    public static HeapPeak start() {
        return new HeapPeak();
    }

    /** The peak heap use in bytes since {@link #start}, including now. */
    public long bytes() {
        return Math.max(peak.get(), heapUsedNow());
    }

    /** The most heap in use right after a collection since {@link #start}, or -1 if none ran. */
    public long liveBytes() {
        return live.get();
    }

    /** The most heap the JVM may use ({@code -Xmx}), or -1 if it has no limit. */
    public static long maxBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        peak.accumulateAndGet(heapUsed(gc.getMemoryUsageBeforeGc()), Math::max);
        live.accumulateAndGet(heapUsed(gc.getMemoryUsageAfterGc()), Math::max);
    }

    private long heapUsed(Map<String, MemoryUsage> pools) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    private static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        peak.accumulateAndGet(heapUsedNow(), Math::max);
        for (NotificationEmitter emitter : watched) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // never added: nothing to remove
            }
        }
        watched.clear();
    }
}
