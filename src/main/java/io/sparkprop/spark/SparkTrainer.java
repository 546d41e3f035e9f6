package io.sparkprop.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Block;
import io.sparkprop.engine.CentringFold;
import io.sparkprop.engine.GradientSum;
import io.sparkprop.engine.Initializer;
import io.sparkprop.engine.Metrics;
import io.sparkprop.engine.MiniBatchPlan;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Standardization;
import io.sparkprop.io.BuildInfo;
import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.InputSnapshot;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.RunEnvironment;
import io.sparkprop.io.SampledPredictions;
import io.sparkprop.optim.UpdateState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training of a multilayer perceptron on Spark.
 *
 * <p>The data is read once into cached {@link Block}s (memory, spilling to disk). Every step is
 * synchronous: the {@link DistributedGradient} broadcasts the weights and sums the gradient over
 * the step's rows — all of them for full-batch training, else each partition's share of the
 * mini-batch a {@link MiniBatchPlan} assigns — and the driver divides by the number of examples and
 * steps the run's {@link UpdateState}. After every epoch the validation data, if any, is evaluated;
 * with early stopping the best epoch's weights are kept. Deterministic for a given seed, data and
 * partitioning.
 *
 * <pre>{@code
 * Dataset<Row> data = ...;  // columns "features" (ml.linalg.Vector) and "label" (class index)
 * Network net = Network.parse("relu(256)|softmax(10)", 784, Loss.CATEGORICAL_CROSS_ENTROPY);
 * TrainingConfig config = TrainingConfig.of(20, 1e-3).withBatchSize(1024)
 *         .withOptimizer(new Adam()).withSchedule(new LearningRateSchedule.Cosine(0));
 * TrainingResult result = new SparkTrainer(config).fit(data, net);
 * }</pre>
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);
    /** Rows whose predictions a regression model keeps for its report: a readable scatter plot, a small file. */
    static final int PREDICTION_SAMPLE_ROWS = 2000;
    /**
     * About how long one barrier job runs: a failed task makes Spark run the job's steps again
     * from its start, so this bounds the work a failure repeats, at the cost of one job's start
     * per this many seconds.
     */
    private static final double BARRIER_JOB_SECONDS = 60;

    // Set once by the with-methods, each on a fresh copy: a trainer never changes after it is handed out.
    private final TrainingConfig config;
    private String featuresCol = "features";
    private String labelCol = "label";
    private String weightCol;
    private Consumer<EpochStats> listener = stats -> { };
    private Consumer<StepProgress> stepListener = step -> { };
    private Dataset<Row> validation;
    private BooleanSupplier stopRequested = () -> false;
    private Checkpointing checkpointing;
    private List<InputPath> reads = List.of();
    private InputSnapshot inputs;
    private SyncMode sync = SyncMode.AUTO;

    public SparkTrainer(TrainingConfig config) {
        this.config = config;
    }

    private SparkTrainer copy() {
        SparkTrainer copy = new SparkTrainer(config);
        copy.featuresCol = featuresCol;
        copy.labelCol = labelCol;
        copy.weightCol = weightCol;
        copy.listener = listener;
        copy.stepListener = stepListener;
        copy.validation = validation;
        copy.stopRequested = stopRequested;
        copy.checkpointing = checkpointing;
        copy.reads = reads;
        copy.inputs = inputs;
        copy.sync = sync;
        return copy;
    }

    /** Reads features and labels from these columns instead of "features" and "label". */
    public SparkTrainer withColumns(String features, String label) {
        return withColumns(features, label, null);
    }

    /**
     * Also weighs each row by {@code weight} (a numeric column, finite and ≥ 0; null for all 1):
     * the gradient and loss of a step are weighted sums divided by the total weight, so an integer
     * weight counts like that many copies of the row, and the training and validation metrics are
     * weighted alike (the validation data needs the column too). A step whose rows weigh 0 in
     * total learns nothing; training data weighing 0 in all is refused. With standardisation, the
     * features' means and deviations are weighted too (Spark's {@link Summarizer} with weights:
     * reliability weights, so the variance divides by Σw − Σw²/Σw rather than by Σw − 1).
     */
    public SparkTrainer withColumns(String features, String label, String weight) {
        SparkTrainer copy = copy();
        copy.featuresCol = features;
        copy.labelCol = label;
        copy.weightCol = weight;
        return copy;
    }

    /** Calls {@code onEpoch} on the driver after every epoch. */
    public SparkTrainer withListener(Consumer<EpochStats> onEpoch) {
        SparkTrainer copy = copy();
        copy.listener = onEpoch;
        return copy;
    }

    /** Calls {@code onStep} on the driver after every step. */
    public SparkTrainer withStepListener(Consumer<StepProgress> onStep) {
        SparkTrainer copy = copy();
        copy.stepListener = onStep;
        return copy;
    }

    /** Evaluates on {@code data} (same columns as the training data) after every epoch. */
    public SparkTrainer withValidation(Dataset<Row> data) {
        SparkTrainer copy = copy();
        copy.validation = data;
        return copy;
    }

    /**
     * Asks {@code stop} before every step and ends training with a {@link TrainingStoppedException}
     * once it answers true (e.g. after SIGTERM; cancel the running Spark jobs too, so the step in
     * flight ends at once).
     */
    public SparkTrainer withStopRequest(BooleanSupplier stop) {
        SparkTrainer copy = copy();
        copy.stopRequested = stop;
        return copy;
    }

    /**
     * Writes checkpoints as {@code checkpointing} says and resumes from them: a resumed run ends
     * with the same bits as one that never stopped, given the same data and partitioning. A
     * {@link TrainingStoppedException} (a stop request) writes a checkpoint of where it stopped.
     *
     * @param reads what the job reads besides the data's {@link Dataset#inputFiles()}: the
     *     checkpoint directory may not be, contain or lie inside any of it
     */
    public SparkTrainer withCheckpoints(Checkpointing checkpoints, List<InputPath> reads) {
        SparkTrainer copy = copy();
        copy.checkpointing = checkpoints;
        copy.reads = List.copyOf(reads);
        return copy;
    }

    /**
     * The input files as they were before the data was read (taken by the caller, whose readers
     * list them); without it, the files of the datasets' {@link Dataset#inputFiles()} when training
     * starts. Once the data is cached they are listed again, and a file that changed meanwhile
     * (still being written) fails the run; they are recorded in the model's metadata and checked
     * when a run resumes.
     */
    public SparkTrainer withInputs(InputSnapshot before) {
        SparkTrainer copy = copy();
        copy.inputs = before;
        return copy;
    }

    /**
     * How the partitions meet at each mini-batch step: {@link SyncMode#AUTO} (the default) lets
     * the scaling model choose. The result is the same bitwise either way.
     */
    public SparkTrainer withSync(SyncMode mode) {
        SparkTrainer copy = copy();
        copy.sync = Objects.requireNonNull(mode, "mode");
        return copy;
    }

    /** Trains {@code network} from weights initialised with the configured seed. */
    public TrainingResult fit(Dataset<Row> data, Network network) {
        return train(data, network, Initializer.initialize(network, config.seed()), null, "initialised with seed "
                + config.seed());
    }

    /**
     * Continues training from {@code start}'s weights, with its standardisation if it has one.
     * Optimizer state (momentum, Adam's moments) starts afresh.
     */
    public TrainingResult fit(Dataset<Row> data, Model start) {
        return train(data, start.network(), start.parameters(), start.standardization().orElse(null),
                "a model's weights (" + Long.toHexString(java.util.Arrays.hashCode(start.parameters())) + ")");
    }

    private TrainingResult train(Dataset<Row> data, Network network, double[] params, Standardization inherited,
                                 String start) {
        long started = System.nanoTime();
        Configuration hadoop = data.sparkSession().sparkContext().hadoopConfiguration();
        List<String> files = inputFiles(data);
        InputSnapshot before = inputs != null ? inputs : InputSnapshot.of(hadoop, files);
        List<InputPath> apart = new ArrayList<>(reads);
        files.forEach(file -> apart.add(new InputPath("the data", file)));
        try (HeapPeak heap = HeapPeak.start();
             RunCheckpoints checkpoints = checkpointing == null ? null : RunCheckpoints.open(checkpointing, hadoop,
                settings(network, start, inherited), apart)) {
            RunState resumed = checkpoints == null ? null : checkpoints.resume().orElse(null);
            return train(data, network, params, inherited, checkpoints, resumed, before, hadoop, started, heap);
        }
    }

    private TrainingResult train(Dataset<Row> data, Network network, double[] params, Standardization inherited,
                                 RunCheckpoints checkpoints, RunState resumed, InputSnapshot before,
                                 Configuration hadoop, long started, HeapPeak heap) {
        Dataset<Row> trainData = data;
        Dataset<Row> validationData = validation;
        if (validationData == null && config.validationFraction() > 0) {
            Dataset<Row>[] split = data.randomSplit(
                    new double[] {1 - config.validationFraction(), config.validationFraction()}, config.seed());
            trainData = split[0];
            validationData = split[1];
        }
        if (config.patience() > 0 && validationData == null) {
            throw new IllegalArgumentException("early stopping needs validation data: give validation data "
                    + "or a validation fraction");
        }
        // A resumed run keeps the standardisation it started with, to the bit.
        Standardization standardization = resumed != null ? resumed.standardization()
                : standardization(trainData, network, inherited);
        // Sparse data keeps its zeros under standardisation: the blocks hold x/σ and the centring
        // goes into the first layer (decided from the data, so a resumed run decides the same).
        Dataset<Row> sampled = trainData;
        CentringFold fold = standardization != null && DataErrors.rethrowing(() -> Blocks.sparseInput(sampled,
                featuresCol)) ? new CentringFold(network, standardization) : null;
        boolean repartition = config.partitions() > 0 && trainData.rdd().getNumPartitions() != config.partitions();
        Dataset<Row> input = repartition ? repartitioned(trainData, config.partitions()) : trainData;
        BlockPlacement placement = BlockPlacement.cache(Blocks.fromDataset(input, featuresCol, labelCol, weightCol,
                network, config.blockSize(), config.precision(), standardization, fold == null));
        JavaRDD<Block> blocks = placement.blocks();
        JavaRDD<Block> validationBlocks = validationData == null ? null
                : cache(validationData, weightCol, network, standardization, fold == null);
        try {
            CachedRows cached = cachedRows(blocks);
            long[] partitionRows = cached.partitionRows();
            long rows = Arrays.stream(partitionRows).sum();
            if (!blocks.context().isLocal()) {
                LOG.info("training data cached: {}", placement.describe());
            }
            LOG.info("cached blocks: {}{}", cached.describe(blocks), fold == null ? ""
                    : "; standardised with the centring folded into the first layer");
            if (rows == 0) {
                throw new InvalidDataException("the training data has no rows");
            }
            long validationRows = validationBlocks == null ? 0 : rowCount(validationBlocks);
            if (validationBlocks != null && validationRows == 0) {
                throw new InvalidDataException("the validation data has no rows");
            }
            if (weightCol != null) {
                requireWeight(blocks, "training");
                if (validationBlocks != null) {
                    requireWeight(validationBlocks, "validation");
                }
            }
            before.requireUnchanged(before.again(hadoop));
            if (checkpoints != null) {
                Map<String, Object> seen = new LinkedHashMap<>();
                seen.put("inputs", before.toJson());
                seen.put("rows", rows);
                seen.put("partitionRows", Arrays.toString(partitionRows));
                seen.put("validationRows", validationRows);
                checkpoints.checkData(seen, "data");
            }
            Run run = new Run(network, params, standardization, fold, placement, validationBlocks, partitionRows,
                    cached.csrRows() > 0, checkpoints);
            run.epochs(resumed);
            double[] trained = run.params();
            Metrics training = DataErrors.rethrowing(() -> run.gradient.evaluate(run.passWeights()));
            run.state.guard.checkFinal(training.meanLoss());
            Metrics validated = run.validation == null ? null
                    : DataErrors.rethrowing(() -> run.validation.evaluate(run.passWeights()));
            List<Integer> cachedRdds = new ArrayList<>(List.of(placement.blocks().id()));
            if (validationBlocks != null) {
                cachedRdds.add(validationBlocks.id());
            }
            Optional<SampledPredictions> predictions = Metrics.taskOf(network) == Metrics.Task.REGRESSION
                    ? Optional.of(samplePredictions(run)) : Optional.empty();
            return new TrainingResult(new Model(network, trained, standardization), config, rows, run.history,
                    training, validated, run.keptEpoch, (System.nanoTime() - started) / 1e9, before,
                    MemoryUse.measure(blocks.context(), heap, cachedRdds), Optional.of(environment(blocks.context(), run.executors)),
                    predictions);
        } finally {
            placement.close();
            if (validationBlocks != null) {
                validationBlocks.unpersist(false);
            }
        }
    }

    /**
     * A regression's predictions at the final weights for up to {@value #PREDICTION_SAMPLE_ROWS}
     * validation rows (training rows without validation data), for the report's scatter plot.
     */
    private static SampledPredictions samplePredictions(Run run) {
        DistributedGradient rows = run.validation != null ? run.validation : run.gradient;
        return new SampledPredictions(run.validation != null ? "validation" : "training",
                DataErrors.rethrowing(() -> rows.sample(run.passWeights(), PREDICTION_SAMPLE_ROWS)));
    }

    /** Where this run trains, for the model's record. */
    private static RunEnvironment environment(SparkContext sc, int executors) {
        return new RunEnvironment(BuildInfo.version(), sc.version(), System.getProperty("java.version"), sc.master(),
                executors, sc.defaultParallelism(), Backprop.blasName());
    }

    /** The executors of {@code sc}: 1 in local mode, else those registered (less the driver). */
    private static int executors(SparkContext sc) {
        return sc.isLocal() ? 1 : Math.max(1, sc.getExecutorMemoryStatus().size() - 1);
    }

    /** What a checkpoint compares to tell this run from another: every setting that shapes the result. */
    private Map<String, Object> settings(Network network, String start, Standardization inherited) {
        Map<String, Object> settings = new LinkedHashMap<>(config.settings());
        settings.put("network", network.toString());
        settings.put("start", start + (inherited == null ? "" : ", standardised as that model"));
        settings.put("columns", featuresCol + ", " + labelCol + (weightCol == null ? "" : ", weights " + weightCol));
        settings.put("validation", validation != null ? "given" : config.validationFraction() > 0 ? "split" : "none");
        return settings;
    }

    /** The files behind the training and validation datasets, as far as Spark knows them. */
    private List<String> inputFiles(Dataset<Row> data) {
        List<String> files = new ArrayList<>();
        for (Dataset<Row> frame : validation == null ? List.of(data) : List.of(data, validation)) {
            files.addAll(List.of(frame.inputFiles()));
        }
        return files;
    }

    /** The epochs of one run, with the state that carries from step to step. */
    private final class Run {
        final Network network;
        final Standardization standardization;
        final CentringFold fold; // null unless standardised sparse blocks hold x/σ
        final BlockPlacement placement;
        DistributedGradient gradient;
        BarrierSteps barrier; // null: one Spark job per step
        final DistributedGradient validation;
        final long rows;
        final MiniBatchPlan plan;
        final int slots;
        /** Executors when training started: for the step estimate and the model's record. */
        final int executors;
        final int steps;
        final RunCheckpoints checkpoints;
        final double estimatedEpochSeconds; // with barrier steps, by the scaling model
        final StepCostCheck stepCost;
        final List<EpochStats> history = new ArrayList<>();
        StepState state; // weights, optimizer, divergence guard, the epoch's totals
        int keptEpoch;
        // Where the run is and what carries over epochs: with the state, a checkpoint's RunState.
        int epochsDone;
        int stepsDone; // of the epoch in progress
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch;
        double[] best; // with early stopping, the weights after the best validation epoch
        double previousLoss = Double.NaN;
        // Where the epoch's time goes (see TimeBreakdown).
        final LongAdder broadcastNanos = new LongAdder();
        long updateNanos; // of the epoch in progress
        StepTaskTimes taskTimes;

        Run(Network network, double[] params, Standardization standardization, CentringFold fold,
            BlockPlacement placement, JavaRDD<Block> validationBlocks, long[] partitionRows, boolean csr,
            RunCheckpoints checkpoints) {
            this.network = network;
            this.standardization = standardization;
            this.fold = fold;
            this.placement = placement;
            JavaRDD<Block> blocks = placement.blocks();
            this.gradient = new DistributedGradient(blocks, network, config.aggregationDepth(), broadcastNanos);
            this.validation = validationBlocks == null ? null
                    : new DistributedGradient(validationBlocks, network, config.aggregationDepth());
            this.rows = Arrays.stream(partitionRows).sum();
            this.checkpoints = checkpoints;
            int partitions = blocks.getNumPartitions();
            this.plan = config.batchSize() > 0 && config.batchSize() < rows
                    ? new MiniBatchPlan(config.seed(), rows, config.batchSize(), partitions) : null;
            this.steps = plan == null ? 1 : plan.stepsPerEpoch();
            this.slots = Math.max(1, Math.min(partitions, blocks.context().defaultParallelism()));
            this.executors = executors(blocks.context());
            this.state = new StepState(plan, partitionRows, params,
                    UpdateState.create(config.update(), network, config.learningRate(), config.epochs(), steps),
                    new DivergenceGuard(config.learningRate()));
            StepCostModel.Estimate estimate = estimate(blocks, partitions);
            String barrierUnfit = BarrierSteps.unfit(blocks.context(), partitions);
            this.barrier = barrierSteps(blocks, estimate, barrierUnfit);
            this.estimatedEpochSeconds = steps * (estimate.compute() + estimate.barrierCommunication());
            if (csr) {
                // The model counts the first layer as a GEMM over every input; over CSR rows it
                // costs the non-zeros, in loops of another speed, so its compute term is off by
                // orders of magnitude (its communication terms still choose the path).
                LOG.info("the estimate's compute assumes dense inputs; these are CSR");
            }
            this.stepCost = new StepCostCheck(blocks.context().isLocal(), plan != null, barrier != null, sync,
                    barrierUnfit, config.epochs());
        }

        double[] params() {
            return state.params;
        }

        /** The scaling model's view of a step before the first one runs. */
        private StepCostModel.Estimate estimate(JavaRDD<Block> blocks, int partitions) {
            SparkContext sc = blocks.context();
            long rowsPerStep = plan == null ? rows : Math.min(rows, config.batchSize());
            StepCostModel.Estimate estimate = StepCostModel.reference(config.precision(), sc.isLocal()).estimate(network,
                    rowsPerStep, slots, executors, partitions, config.aggregationDepth(), steps);
            LOG.info("estimated step ({} rows, {} task slots, {} executors, {} partitions): {}", rowsPerStep, slots,
                    executors, partitions, estimate.describe());
            return estimate;
        }

        /** The barrier path when the sync mode and the cluster allow it and it is cheaper; null for a job per step. */
        private BarrierSteps barrierSteps(JavaRDD<Block> blocks, StepCostModel.Estimate estimate, String unfit) {
            if (plan == null || sync == SyncMode.JOBS) {
                return null; // full batch: one step per epoch, nothing to save
            }
            if (unfit != null) {
                if (sync == SyncMode.BARRIER) {
                    throw new IllegalArgumentException("barrier steps cannot run here: " + unfit);
                }
                LOG.info("one Spark job per step: barrier steps cannot run here ({})", unfit);
                return null;
            }
            if (sync == SyncMode.AUTO && !estimate.barrierCheaper()) {
                LOG.info("one Spark job per step: estimated cheaper than barrier steps ({})", estimate.describe());
                return null;
            }
            LOG.info("barrier steps: one Spark job for many steps, the tasks exchanging their sums at every step");
            return new BarrierSteps(blocks, network, plan, fold, config.blockSize(), config.aggregationDepth());
        }

        /** Runs the epochs, from the start or from {@code resumed}'s position. */
        void epochs(RunState resumed) {
            if (resumed != null) {
                restore(resumed);
            }
            SparkContext sc = placement.blocks().context();
            String description = sc.getLocalProperty("spark.job.description");
            taskTimes = StepTaskTimes.listen(sc);
            try {
                epochs();
            } finally {
                if (barrier != null) {
                    barrier.close();
                }
                taskTimes.close();
                sc.setJobDescription(description);
            }
            keptEpoch = history.size();
            if (best != null) {
                System.arraycopy(best, 0, params(), 0, best.length);
                keptEpoch = bestEpoch;
            }
        }

        private void epochs() {
            StepTaskTimes.Totals tasksBefore = taskTimes.totals();
            for (int epoch = epochsDone + 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                long broadcastBefore = broadcastNanos.sum();
                updateNanos = 0;
                if (stepsDone == 0) {
                    state.startEpoch();
                }
                stepListener.accept(new StepProgress(epoch, config.epochs(), stepsDone, steps, rowsDone(stepsDone), 0));
                while (stepsDone < steps) {
                    if (stopRequested.getAsBoolean()) {
                        stop(epoch);
                    }
                    try {
                        step(epoch - 1, stepsDone);
                    } catch (DivergenceException | InvalidDataException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        if (stopRequested.getAsBoolean()) {
                            stop(epoch); // the job was cancelled for the stop: the state is the step's start
                        }
                        throw e;
                    }
                    stepsDone++;
                    stepListener.accept(new StepProgress(epoch, config.epochs(), stepsDone, steps,
                            rowsDone(stepsDone), (System.nanoTime() - t0) / 1e9));
                    long globalStep = (long) (epoch - 1) * steps + stepsDone;
                    if (checkpoints != null && stepsDone < steps && checkpoints.dueAfterStep(globalStep)) {
                        checkpoints.save(snapshot());
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double compute = state.seen.computeNanos() / 1e9 / slots;
                TimeBreakdown times;
                if (barrier != null) {
                    times = TimeBreakdown.ofBarrier(seconds, compute, updateNanos / 1e9);
                } else {
                    StepTaskTimes.Totals tasksNow = taskTimes.totals();
                    StepTaskTimes.Totals tasks = tasksNow.minus(tasksBefore);
                    tasksBefore = tasksNow;
                    times = TimeBreakdown.ofJobs(seconds, compute, tasks.stepMillis() / 1e3 / slots - compute,
                            (broadcastNanos.sum() - broadcastBefore) / 1e9, tasks.mergeMillis() / 1e3 / slots,
                            updateNanos / 1e9);
                }
                if (validation != null && barrier != null) {
                    barrier.close(); // its job ends with the epoch; the validation's needs the task slots
                }
                Metrics validated = null;
                if (validation != null) {
                    placement.blocks().context().setJobDescription(String.format("epoch %d/%d · validation", epoch,
                            config.epochs()));
                    validated = DataErrors.rethrowing(() -> validation.evaluate(passWeights()));
                }
                double validationSeconds = (System.nanoTime() - t0) / 1e9 - seconds;
                double overhead = (seconds - times.compute()) / steps; // the compute fitted into the epoch
                EpochStats stats = new EpochStats(epoch, state.seen.meanLoss(), accuracy(network, state.seen), validated,
                        state.rate, state.update.lastGradientNorm(), steps, seconds, rows / seconds,
                        Math.max(0, overhead), validationSeconds, times);
                history.add(stats);
                epochsDone = epoch;
                stepsDone = 0;
                listener.accept(stats);
                stepCost.after(stats).ifPresent(LOG::warn);
                // A run that ends here is not checkpointed: resuming the one before replays the same end.
                boolean finished = finished(epoch, stats);
                if (!finished && checkpoints != null && checkpoints.dueAfterEpoch(epoch, (long) epoch * steps)) {
                    checkpoints.save(snapshot());
                }
                if (finished) {
                    break;
                }
            }
        }

        /** Training rows in the first {@code done} steps of an epoch. */
        private long rowsDone(int done) {
            return plan == null ? done * rows : Math.min(rows, (long) done * config.batchSize());
        }

        /** The weights the passes over the blocks take: the parameters, with the centring folded in if any. */
        double[] passWeights() {
            return fold == null ? params() : fold.fold(params());
        }

        /** Saves where the run is (the start of the step that did not run) and ends it. */
        private void stop(int epoch) {
            if (checkpoints != null) {
                checkpoints.save(snapshot());
            }
            throw new TrainingStoppedException(epoch, stepsDone, steps);
        }

        /** Step {@code step} of the 0-based {@code epoch}: the gradient where the data lives, then the update. */
        private void step(int epoch, int step) {
            // Only between barrier jobs: one holds every task slot, and re-placing the blocks runs a job.
            if (barrier == null || !barrier.running(epoch, step)) {
                if (barrier != null) {
                    barrier.close();
                }
                if (placement.rebalance()) { // executors came or went: their share of the cached blocks was moved
                    gradient = new DistributedGradient(placement.blocks(), network, config.aggregationDepth(),
                            broadcastNanos);
                    if (barrier != null) {
                        barrier = new BarrierSteps(placement.blocks(), network, plan, fold, config.blockSize(),
                                config.aggregationDepth());
                    }
                }
            }
            GradientSum sum;
            SparkContext sc = placement.blocks().context();
            if (barrier != null) {
                long end = barrierJobEnd(epoch);
                if (!barrier.running(epoch, step)) {
                    sc.setJobDescription(jobAt(epoch, step) + " · barrier steps to epoch " + end / steps);
                }
                sum = barrier.next(state, epoch, step, end); // unfolded by its exchange
            } else {
                double[] weights = passWeights();
                sc.setJobDescription(jobAt(epoch, step) + " · gradient");
                taskTimes.marking(true);
                try {
                    sum = DataErrors.rethrowing(() -> plan == null ? gradient.compute(weights)
                            : gradient.compute(weights, plan, epoch, step, config.blockSize()));
                } finally {
                    taskTimes.marking(false);
                }
                if (fold != null) {
                    fold.unfold(sum.gradient());
                }
            }
            long updating = System.nanoTime();
            state.apply(sum, epoch, step);
            updateNanos += System.nanoTime() - updating;
        }

        /** Where a job starts, for Spark's UI: "epoch 3/12 · step 17/59" (0-based arguments). */
        private String jobAt(int epoch, int step) {
            return String.format("epoch %d/%d%s", epoch + 1, config.epochs(),
                    steps == 1 ? "" : String.format(" · step %d/%d", step + 1, steps));
        }

        /**
         * Where a barrier job that starts in the 0-based {@code epoch} ends (a global step): at
         * the epoch's end when a validation pass follows every epoch, else after as many whole
         * epochs as run in about {@link #BARRIER_JOB_SECONDS}, by the last epoch's time or, before
         * the first, the scaling model's estimate.
         */
        private long barrierJobEnd(int epoch) {
            int epochs = 1;
            if (validation == null) {
                double seconds = history.isEmpty() ? estimatedEpochSeconds : history.get(history.size() - 1).seconds();
                double fit = BARRIER_JOB_SECONDS / seconds;
                epochs = fit >= 2 ? (int) Math.min(config.epochs(), fit) : 1;
            }
            return (long) Math.min(config.epochs(), epoch + epochs) * steps;
        }

        /**
         * Early stopping's and the tolerance's bookkeeping after a whole epoch: whether training
         * ends here.
         */
        private boolean finished(int epoch, EpochStats stats) {
            if (config.patience() > 0) {
                if (stats.validation().meanLoss() < bestLoss) {
                    bestLoss = stats.validation().meanLoss();
                    bestEpoch = epoch;
                    best = params().clone();
                } else if (epoch - bestEpoch >= config.patience()) {
                    return true;
                }
            }
            if (config.tol() > 0 && previousLoss - stats.loss() < config.tol() * Math.abs(previousLoss)) {
                LOG.info("epoch {}: the training loss fell by less than tol = {} of the previous epoch's; "
                        + "training has converged", epoch, config.tol());
                return true; // NaN at the first epoch compares false
            }
            previousLoss = stats.loss();
            return false;
        }

        /** The run's state between two steps, independent of what follows. */
        private RunState snapshot() {
            GradientSum totals = new GradientSum(0).mergeTotals(state.seen);
            return new RunState(epochsDone, stepsDone, params().clone(), state.update.snapshot(), standardization,
                    totals, state.rate, bestLoss, bestEpoch, best == null ? null : best.clone(), previousLoss,
                    state.guard, new ArrayList<>(history));
        }

        private void restore(RunState saved) {
            double[] params = params();
            if (saved.params().length != params.length) {
                throw new IllegalArgumentException("the checkpoint holds " + saved.params().length
                        + " weights, the network " + network + " has " + params.length);
            }
            System.arraycopy(saved.params(), 0, params, 0, params.length);
            state.update.restore(saved.update());
            epochsDone = saved.epoch();
            stepsDone = Math.min(saved.step(), steps); // a resumed-anyway run may have fewer steps per epoch
            state.seen = new GradientSum(0).mergeTotals(saved.seen());
            state.rate = saved.rate();
            bestLoss = saved.bestLoss();
            bestEpoch = saved.bestEpoch();
            best = saved.best();
            previousLoss = saved.previousLoss();
            state.guard = saved.guard();
            history.addAll(saved.history());
        }
    }

    /**
     * {@code data} in {@code partitions} partitions that hold the same rows in the same order on
     * every run. Spark's round-robin repartition already puts the same rows in each partition (it
     * sorts before it deals), but a partition receives them in the order its shuffle blocks arrive,
     * which on a cluster changes from run to run — and sums and mini-batches depend on row order.
     * Sorting each partition by the rows' original position (partition index and offset, which
     * {@code monotonically_increasing_id} encodes) fixes the order.
     */
    static Dataset<Row> repartitioned(Dataset<Row> data, int partitions) {
        String position = "__sparkprop_position";
        return data.withColumn(position, monotonically_increasing_id())
                .repartition(partitions)
                .sortWithinPartitions(position)
                .drop(position);
    }

    /**
     * What the first pass over the cached blocks found: the rows of each partition, in partition
     * order, the rows and stored entries of the CSR blocks among them, and the bytes of all the
     * blocks' arrays (exact, where Spark's storage figure is an estimate from samples).
     */
    private record CachedRows(long[] partitionRows, long csrRows, long nonZeros, long bytes) {
        /**
         * E.g. "1,000,000 rows (all CSR, 30.0 stored entries a row); 362.4 MiB of arrays; Spark
         * reports 297.0 MiB in memory, 0.0 MiB on disk" (Spark's figure is its size estimate).
         */
        String describe(JavaRDD<Block> blocks) {
            long rows = java.util.Arrays.stream(partitionRows).sum();
            String layout = csrRows == 0 ? "dense" : String.format(java.util.Locale.ROOT, "%s CSR, %.1f stored "
                    + "entries a row", csrRows == rows ? "all" : String.format(java.util.Locale.ROOT, "%,d", csrRows),
                    nonZeros / (double) csrRows);
            String storage = "storage unknown";
            for (org.apache.spark.storage.RDDInfo info : blocks.context().getRDDStorageInfo()) {
                if (info.id() == blocks.id()) {
                    storage = String.format(java.util.Locale.ROOT, "Spark reports %.1f MiB in memory, %.1f MiB on "
                            + "disk", info.memSize() / 1048576.0, info.diskSize() / 1048576.0);
                }
            }
            return String.format(java.util.Locale.ROOT, "%,d rows (%s); %.1f MiB of arrays; %s", rows, layout,
                    bytes / 1048576.0, storage);
        }
    }

    private static CachedRows cachedRows(JavaRDD<Block> blocks) {
        List<long[]> counts = DataErrors.rethrowing(() -> blocks.mapPartitions(it -> {
            long[] totals = new long[4]; // rows, CSR rows, stored entries, bytes
            while (it.hasNext()) {
                Block block = it.next();
                totals[0] += block.rows();
                totals[3] += block.bytes();
                if (block.isSparse()) {
                    totals[1] += block.rows();
                    totals[2] += block.sparseFeatures().nonZeros();
                }
            }
            return List.of(totals).iterator();
        }, true).collect());
        return new CachedRows(counts.stream().mapToLong(c -> c[0]).toArray(),
                counts.stream().mapToLong(c -> c[1]).sum(), counts.stream().mapToLong(c -> c[2]).sum(),
                counts.stream().mapToLong(c -> c[3]).sum());
    }

    private static long rowCount(JavaRDD<Block> blocks) {
        return Arrays.stream(cachedRows(blocks).partitionRows()).sum();
    }

    /** Refuses weighted data whose rows all weigh 0: its every mean would be 0 / 0. */
    private void requireWeight(JavaRDD<Block> blocks, String what) {
        double total = DataErrors.rethrowing(() -> blocks.map(Block::totalWeight).fold(0.0, Double::sum));
        if (total == 0) {
            throw new InvalidDataException("the " + what + " data's weights (column " + weightCol
                    + ") are all 0; expected some rows of positive weight");
        }
    }

    private JavaRDD<Block> cache(Dataset<Row> data, String weights, Network network, Standardization standardization,
                                 boolean centred) {
        return Blocks.persisted(Blocks.fromDataset(data, featuresCol, labelCol, weights, network, config.blockSize(),
                config.precision(), standardization, centred));
    }

    /**
     * The standardisation to train with: the start model's, or with {@code standardize} the
     * training data's means and sample deviations, from one pass of Spark's {@link Summarizer}
     * (weighted by the weight column, if any).
     */
    private Standardization standardization(Dataset<Row> data, Network network, Standardization inherited) {
        if (inherited != null || !config.standardize()) {
            return inherited;
        }
        Column summarized;
        Dataset<Row> rows = data;
        if (weightCol == null) {
            summarized = Summarizer.metrics("mean", "variance").summary(col(featuresCol));
        } else {
            // The Summarizer fails without a row number on a weight that is not finite and > 0
            // (0: when nothing else is left); it leaves those rows out, and caching the blocks
            // reports the first bad weight.
            Column weight = col(weightCol).cast("double");
            rows = data.where(weight.gt(0).and(weight.lt(Double.POSITIVE_INFINITY)));
            if (DataErrors.rethrowing(rows::isEmpty)) {
                // No row of positive weight: say which row's weight is bad, or that they are all 0.
                JavaRDD<Block> unstandardized = Blocks.fromDataset(data, featuresCol, labelCol, weightCol, network,
                        config.blockSize(), config.precision(), null);
                if (rowCount(unstandardized) > 0) {
                    requireWeight(unstandardized, "training");
                }
            }
            summarized = Summarizer.metrics("mean", "variance").summary(col(featuresCol), weight);
        }
        Dataset<Row> summarizedRows = rows;
        Row summary = DataErrors.rethrowing(() -> summarizedRows.select(summarized.as("s")).first().getStruct(0));
        Vector mean = summary.getAs("mean");
        Vector variance = summary.getAs("variance");
        if (mean == null || mean.size() != network.inputSize()) {
            throw new InvalidDataException("cannot standardise: the training data has no rows or its features are not "
                    + network.inputSize() + " wide");
        }
        return Standardization.fromMoments(mean.toArray(), variance.toArray());
    }

    /** The running accuracy of one-label classifiers; NaN for regression and multi-label networks. */
    private static double accuracy(Network network, GradientSum sum) {
        Metrics.Task task = Metrics.taskOf(network);
        return task == Metrics.Task.MULTICLASS || task == Metrics.Task.BINARY ? sum.accuracy() : Double.NaN;
    }
}
