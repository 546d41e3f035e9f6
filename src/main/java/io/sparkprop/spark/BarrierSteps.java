package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.PartitionRows;
import io.sparkprop.io.InvalidDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Consecutive mini-batch steps of one epoch in a single Spark job, instead of one job per step:
 * a barrier stage whose tasks, one per partition and all running at once, stay alive for the
 * steps. At every step each task sums the gradient over its share of the batch and sends the sum
 * to the driver's {@link SumExchange}, which merges the partitions' sums in the order of {@link
 * OrderedTreeAggregate} and sends the total back; every task then applies the same {@link
 * StepState} update to its own copy of the state. The weights never travel, and the scheduling,
 * broadcast and result handling of a job are paid once per call instead of once per step.
 *
 * <p>The results are bitwise those of one job per step: the same rows, the same partial sums, the
 * same merge order and the same update arithmetic. A failed task fails the whole barrier stage,
 * which Spark runs again from the same starting state, so retries change nothing either.
 *
 * <p>Every partition needs a task slot at the same time, so the caller checks that the cluster has
 * that many ({@link #unfit}).
 */
final class BarrierSteps {
    private final JavaRDD<Block> blocks;
    private final Network network;
    private final MiniBatchPlan plan;
    private final CentringFold fold;
    private final int chunkRows;
    private final int depth;

    /** @param fold the centring folded into the first layer for standardised sparse blocks, or null */
    BarrierSteps(JavaRDD<Block> blocks, Network network, MiniBatchPlan plan, CentringFold fold, int chunkRows,
                 int depth) {
        this.blocks = blocks;
        this.network = network;
        this.plan = plan;
        this.fold = fold;
        this.chunkRows = chunkRows;
        this.depth = depth;
    }

    /**
     * Why a barrier stage over {@code partitions} partitions cannot run on {@code sc}, or null if
     * it can: it needs a task slot for every partition at once, no dynamic allocation, and no
     * network encryption (which {@link SumExchange} does not offer).
     */
    static String unfit(SparkContext sc, int partitions) {
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "Spark runs barrier stages only without dynamic allocation";
        }
        // What Spark's own check before a barrier stage uses (public in the bytecode, private[spark] in Scala).
        int slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
        if (partitions > slots) {
            return partitions + " partitions need as many task slots at once, there are " + slots;
        }
        if (sc.getConf().getBoolean("spark.network.crypto.enabled", false)
                || sc.getConf().getBoolean("spark.ssl.enabled", false)) {
            return "Spark's network encryption is on, and the barrier steps' exchange of sums is not encrypted";
        }
        return null;
    }

    /**
     * Runs steps {@code from} to {@code to − 1} of the 0-based {@code epoch} from {@code start}.
     *
     * @return the state after the last step, or after the step that failed when {@link Outcome#failure} is set
     */
    Outcome run(StepState start, int epoch, int from, int to) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        // In local mode the tasks run in this JVM: the exchange stays on loopback.
        String host = sc.isLocal() ? InetAddress.getLoopbackAddress().getHostAddress()
                : sc.getConf().get("spark.driver.host");
        String bindAddress = sc.isLocal() ? host : sc.getConf().get("spark.driver.bindAddress", host);
        // Bytes, not the state itself: in local mode a broadcast value is one object shared by
        // the tasks, and each task must step a copy of its own.
        Broadcast<byte[]> state = sc.broadcast(JavaBytes.of(start));
        SumExchange exchange = new SumExchange(bindAddress, blocks.getNumPartitions(), depth);
        SparkListener failures = exchange.failures();
        sc.sc().addSparkListener(failures);
        try {
            RDD<byte[]> results = blocks.rdd().barrier().mapPartitions(
                    new Steps(state, exchange.address(host), network, plan, fold, chunkRows, epoch, from, to), false,
                    ClassTag$.MODULE$.apply(byte[].class));
            // Through a shuffle, because Spark runs a failed barrier stage again only when it is a
            // shuffle map stage: a failed barrier result stage fails the job.
            List<byte[]> collected = results.toJavaRDD().repartition(1).collect();
            if (collected.size() != 1) {
                throw new IllegalStateException("a barrier segment returned " + collected.size() + " states, expected 1");
            }
            return deserialize(collected.get(0), Outcome.class);
        } finally {
            sc.sc().removeSparkListener(failures);
            exchange.close();
            state.destroy();
        }
    }

    /**
     * The state after a barrier segment, and the exception a step ended it with ({@link
     * DivergenceException} or {@link InvalidDataException}): every task stops at
     * the same step, as they all see the same sums, and the driver throws it.
     */
    record Outcome(StepState state, RuntimeException failure) implements Serializable {
    }

    /** One task of the barrier stage. */
    private static final class Steps extends AbstractFunction1<scala.collection.Iterator<Block>,
            scala.collection.Iterator<byte[]>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> start;
        private final SumExchange.Address exchange;
        private final Network network;
        private final MiniBatchPlan plan;
        private final CentringFold fold;
        private final int chunkRows;
        private final int epoch;
        private final int from;
        private final int to;

        Steps(Broadcast<byte[]> start, SumExchange.Address exchange, Network network, MiniBatchPlan plan,
              CentringFold fold, int chunkRows, int epoch, int from, int to) {
            this.start = start;
            this.exchange = exchange;
            this.network = network;
            this.plan = plan;
            this.fold = fold;
            this.chunkRows = chunkRows;
            this.epoch = epoch;
            this.from = from;
            this.to = to;
        }

        @Override
        public scala.collection.Iterator<byte[]> apply(scala.collection.Iterator<Block> partition) {
            int index = BarrierTaskContext.get().partitionId();
            FaultInjection.failIfChosen();
            List<Block> local = new ArrayList<>();
            CollectionConverters.asJava(partition).forEachRemaining(local::add);
            PartitionRows rows = new PartitionRows(local);
            StepState state = deserialize(start.value(), StepState.class);
            int[] order = plan.permutation(epoch, index, rows.rows());
            Backprop backprop = new Backprop(network);
            RuntimeException failure = null;
            try (SumExchange.Client peers = exchange.connect(index)) {
                for (int step = from; step < to; step++) {
                    double[] weights = fold == null ? state.params : fold.fold(state.params);
                    GradientSum own = backprop.sum(weights, rows.select(plan.slice(order, step, index), chunkRows));
                    GradientSum all = peers.exchange(step, own);
                    if (fold != null) {
                        fold.unfold(all.gradient());
                    }
                    try {
                        state.apply(all, epoch, step);
                    } catch (DivergenceException | InvalidDataException e) {
                        failure = e;
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("barrier task " + index + " lost the driver's sum exchange", e);
            }
            if (index != 0) {
                return CollectionConverters.asScala(Collections.<byte[]>emptyIterator());
            }
            byte[] outcome = JavaBytes.of(new Outcome(state, failure));
            return CollectionConverters.asScala(Collections.singletonList(outcome).iterator());
        }
    }

    private static <T> T deserialize(byte[] bytes, Class<T> type) {
        try (ObjectInputStream in = new ContextClassLoaderInput(new ByteArrayInputStream(bytes))) {
            return type.cast(in.readObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resolves classes with the thread's context loader, which on an executor knows the application's jar. */
    private static final class ContextClassLoaderInput extends ObjectInputStream {
        ContextClassLoaderInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
