package io.sparkprop.spark;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.PartitionRows;
import io.sparkprop.engine.Workspace;
import io.sparkprop.io.DataErrors;
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
import java.util.concurrent.ExecutionException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Consecutive mini-batch steps in a single Spark job, instead of one job per step: a barrier stage
 * whose tasks, one per partition and all running at once, stay alive for the steps — of an epoch
 * or of several, as the caller chooses. At every step each task sums
 * the gradient over its share of the batch and hands the sum to the driver's {@link SumExchange},
 * which merges the partitions' sums in the order of {@link OrderedTreeAggregate} and gives the
 * total back; every task then applies the same {@link StepState} update to its own copy of the
 * state. The driver takes each total as well ({@link #next}) and applies it to its own copy, so it
 * knows the exact state after every step — for the epoch's figures, checkpoints, stop requests and
 * the end of the run — while the weights never travel, and the scheduling, broadcast and result
 * handling of a job are paid once per job instead of once per step.
 *
 * <p>The results are bitwise those of one job per step: the same rows, the same partial sums, the
 * same merge order and the same update arithmetic. A failed task fails the whole barrier stage,
 * which Spark runs again from the same starting state; the totals of the steps the driver has
 * already taken come again, bitwise the same, and are dropped.
 *
 * <p>Every partition needs a task slot at the same time, so the caller checks that the cluster has
 * that many ({@link #unfit}).
 */
final class BarrierSteps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BarrierSteps.class);

    private final JavaRDD<Block> blocks;
    private final Network network;
    private final MiniBatchPlan plan;
    private final CentringFold fold;
    private final int chunkRows;
    private final int depth;
    private Job job; // the barrier job running steps, or null

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
     * The gradient summed over every partition's share of step {@code step} of the 0-based {@code
     * epoch} (with the centring unfolded, if any), taken from the running barrier job; unless one runs at that step, first starts one
     * from {@code state} (the state before the step) that runs until global step {@code end}
     * (exclusive; epoch × steps per epoch + step). The total may be shared with the tasks in this
     * JVM: do not modify it.
     */
    GradientSum next(StepState state, int epoch, int step, long end) {
        long at = (long) epoch * plan.stepsPerEpoch() + step;
        if (!running(epoch, step)) {
            close();
        }
        if (job == null) {
            job = new Job(state, at, end);
        }
        return job.take(at);
    }

    /** Whether a barrier job runs step {@code step} of the 0-based {@code epoch} next. */
    boolean running(int epoch, int step) {
        return job != null && job.runs((long) epoch * plan.stepsPerEpoch() + step);
    }

    /**
     * Ends the running job, if any: waits for it when it has run all its steps, cancels it
     * otherwise. Its task slots are free when this returns.
     */
    @Override
    public void close() {
        if (job != null) {
            Job ending = job;
            job = null;
            ending.close();
        }
    }

    /** One barrier job and its exchange, running global steps {@code from} to {@code end − 1}. */
    private final class Job {
        private final long end;
        private final JavaSparkContext sc;
        private final Broadcast<byte[]> start;
        private final SumExchange exchange;
        private final SparkListener failures;
        private final JavaFutureAction<List<byte[]>> result;
        private long next; // the step the driver takes next

        Job(StepState state, long from, long end) {
            this.end = end;
            this.next = from;
            sc = JavaSparkContext.fromSparkContext(blocks.context());
            // In local mode the tasks run in this JVM: the exchange stays on loopback.
            String host = sc.isLocal() ? InetAddress.getLoopbackAddress().getHostAddress()
                    : sc.getConf().get("spark.driver.host");
            String bindAddress = sc.isLocal() ? host : sc.getConf().get("spark.driver.bindAddress", host);
            // Bytes, not the state itself: in local mode a broadcast value is one object shared by
            // the tasks, and each task must step a copy of its own.
            start = sc.broadcast(JavaBytes.of(state));
            // The centring's share of the first layer's gradient, once per step for the tasks and the driver.
            exchange = new SumExchange(bindAddress, blocks.getNumPartitions(), depth,
                    fold == null ? total -> { } : total -> fold.unfold(total.gradient()));
            failures = exchange.failures();
            sc.sc().addSparkListener(failures);
            RDD<byte[]> tasks = blocks.rdd().barrier().mapPartitions(
                    new Steps(start, exchange.address(host), network, plan, fold, chunkRows, from, end), false,
                    ClassTag$.MODULE$.apply(byte[].class));
            // Through a shuffle, because Spark runs a failed barrier stage again only when it is a
            // shuffle map stage: a failed barrier result stage fails the job.
            result = tasks.toJavaRDD().repartition(1).collectAsync();
        }

        boolean runs(long step) {
            return step == next && step < end;
        }

        GradientSum take(long step) {
            GradientSum total = exchange.take(step, result::isDone);
            if (total == null) { // the job ended without the step: it failed, or it was cancelled
                DataErrors.rethrowing(this::await);
                throw new IllegalStateException("the barrier job ended before step " + step);
            }
            next = step + 1;
            return total;
        }

        private Object await() throws Exception {
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        void close() {
            try {
                if (next < end) {
                    result.cancel(true); // steps left that nobody will take
                }
                exchange.close(); // wakes the tasks still waiting for a sum
                await();
            } catch (Exception e) {
                if (next == end) { // all steps were taken, so the job should have ended well
                    LOG.warn("the barrier job of steps up to {} ended with {}", end, e.toString());
                }
            } finally {
                sc.sc().removeSparkListener(failures);
                start.destroy();
            }
        }
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
        private final long from;
        private final long end;

        Steps(Broadcast<byte[]> start, SumExchange.Address exchange, Network network, MiniBatchPlan plan,
              CentringFold fold, int chunkRows, long from, long end) {
            this.start = start;
            this.exchange = exchange;
            this.network = network;
            this.plan = plan;
            this.fold = fold;
            this.chunkRows = chunkRows;
            this.from = from;
            this.end = end;
        }

        @Override
        public scala.collection.Iterator<byte[]> apply(scala.collection.Iterator<Block> partition) {
            int index = BarrierTaskContext.get().partitionId();
            FaultInjection.failIfChosen();
            List<Block> local = new ArrayList<>();
            CollectionConverters.asJava(partition).forEachRemaining(local::add);
            PartitionRows rows = new PartitionRows(local);
            StepState state = deserialize(start.value(), StepState.class);
            Backprop backprop = new Backprop(network);
            Workspace workspace = new Workspace(network, 1); // grows to the first step's share
            int steps = plan.stepsPerEpoch();
            int[] order = null;
            try (SumExchange.Client peers = exchange.connect(index)) {
                for (long at = from; at < end; at++) {
                    int epoch = (int) (at / steps);
                    int step = (int) (at % steps);
                    if (order == null || step == 0) {
                        order = plan.permutation(epoch, index, rows.rows());
                    }
                    if (step == 0 && at > from) {
                        state.startEpoch();
                    }
                    double[] weights = fold == null ? state.params : fold.fold(state.params);
                    GradientSum own = backprop.sum(weights, rows.select(plan.slice(order, step, index), chunkRows),
                            workspace);
                    GradientSum all = peers.exchange(at, own);
                    try {
                        state.apply(all, epoch, step);
                    } catch (DivergenceException | InvalidDataException e) {
                        break; // the driver's copy of the state fails at the same step and reports it
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("barrier task " + index + " lost the driver's sum exchange", e);
            }
            return CollectionConverters.asScala(Collections.<byte[]>emptyIterator());
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
