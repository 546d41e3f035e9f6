package io.sparkprop.cli;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Backprop;
import io.sparkprop.engine.Loss;
import io.sparkprop.engine.Model;
import io.sparkprop.engine.Network;
import io.sparkprop.engine.Precision;
import io.sparkprop.engine.TargetSpec;
import io.sparkprop.io.InputPath;
import io.sparkprop.io.InputSnapshot;
import io.sparkprop.io.LabeledData;
import io.sparkprop.io.ModelStore;
import io.sparkprop.io.PendingOutput;
import io.sparkprop.io.SyntheticClusters;
import io.sparkprop.io.SyntheticRegression;
import io.sparkprop.io.DataLoader;
import io.sparkprop.report.TrainingReport;
import io.sparkprop.spark.Checkpointing;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.SyncMode;
import io.sparkprop.spark.TrainingConfig;
import io.sparkprop.spark.TrainingResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        sortOptions = false,
        header = "Train a network on a data file or a built-in synthetic task",
        description = "Train a multilayer perceptron on Spark with synchronous data-parallel steps.")
final class TrainCommand implements Callable<Integer> {
    static final String BUILT_IN_LAYERS = "sigmoid(64)|softmax(10)";
    static final String BUILT_IN_REGRESSION_LAYERS = "tanh(64)|tanh(64)|identity(1)";

    @Spec
    CommandSpec spec;

    @Option(names = ConfigFile.OPTION, paramLabel = "FILE",
            description = "Job file of option = value lines, e.g. conf/fashion-mnist.properties (keys are the long "
                    + "option names without dashes); options on the command line override it")
    String configFile;

    @Option(names = "--quiet",
            description = "Print only the outcome (final metrics and model path): no set-up or epoch lines, and no "
                    + "log lines but errors, for cron and scheduler logs. Errors still go to stderr.")
    boolean quiet;

    @Option(names = "--input", paramLabel = "PATH",
            description = "Training data (" + InputOptions.FORMATS + "; any path Spark reads). "
                    + "Default: the built-in synthetic task (see --task).")
    String input;

    @Option(names = "--task", paramLabel = "NAME", defaultValue = "classification",
            description = "Built-in synthetic task without --input: classification (10 features, 10 classes of "
                    + "Gaussian blobs) or regression (Friedman's function of 10 inputs) (default: ${DEFAULT-VALUE})")
    String task;

    @Option(names = "--validation", paramLabel = "PATH",
            description = "Validation data, same format and columns as --input, evaluated after every epoch")
    String validation;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "Without --validation, hold out this fraction of the data (split by --seed) for "
                    + "validation (default: none)")
    double validationFraction;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
            description = "Stop after PATIENCE epochs without a lower validation loss and keep the best epoch's "
                    + "weights (default: off)")
    int patience;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "20000",
            description = "Rows of the built-in synthetic task (default: ${DEFAULT-VALUE})")
    long syntheticRows;

    @Option(names = "--layers", paramLabel = "SPEC",
            description = "Layer widths with the input first, e.g. 784,256,128,10, or a layer spec such as "
                    + "'sigmoid(256)|sigmoid(128)|softmax(10)' (input width from the data). "
                    + "Default for the built-in task: " + BUILT_IN_LAYERS)
    String layers;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "sigmoid",
            description = "Hidden activation with --layers widths: sigmoid, tanh, relu, identity "
                    + "(default: ${DEFAULT-VALUE})")
    String activation;

    @Option(names = "--output-activation", paramLabel = "NAME",
            description = "Output activation with --layers widths (default: softmax for several outputs, "
                    + "sigmoid for one)")
    String outputActivation;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "cross-entropy, binary-cross-entropy or squared-error (default: cross-entropy for "
                    + "softmax, binary-cross-entropy for sigmoid, else squared-error)")
    String loss;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
            description = "Passes over the data (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "0",
            description = "Stop after an epoch that lowers the mean training loss by less than this fraction of the "
                    + "previous epoch's (default: 0, every epoch)")
    double tol;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
            description = "Examples per synchronous step, summed over all partitions; each epoch visits every "
                    + "row once in a per-epoch shuffle (default: 0, the full batch: one step per epoch)")
    int batchSize;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "1.0",
            description = "Learning rate η, where a schedule starts (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Mixin
    OptimizerOptions optimizerOptions;

    @Option(names = "--standardize",
            description = "Standardise features with the training data's mean and deviation (one Spark pass); "
                    + "stored in the model and applied when it predicts")
    boolean standardize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the weights, the shuffles, the validation split and the built-in data "
                    + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Repartition the data into N partitions (default: keep the input's; "
                    + "Spark's default parallelism for the built-in task)")
    int partitions;

    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "1024",
            description = "Rows stacked per matrix for GEMM (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--agg-depth", paramLabel = "N", defaultValue = "2",
            description = "Depth of the tree aggregation of gradients (default: ${DEFAULT-VALUE})")
    int aggregationDepth;

    @Option(names = "--sync", paramLabel = "MODE", defaultValue = "auto",
            description = "How the partitions meet at each mini-batch step: jobs (one Spark job per step), "
                    + "barrier (barrier jobs of many steps whose tasks exchange their sums; needs a task slot per "
                    + "partition) or auto (the cheaper by the scaling model); the model is the same to the bit "
                    + "(default: ${DEFAULT-VALUE})")
    String sync;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float64",
            description = "float64, or float32 for blocks and per-block passes in single precision (weights "
                    + "and gradient sums stay float64; about twice the GEMM speed, half the cached data) "
                    + "(default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--init-model", paramLabel = "MODEL_DIR", description = "Start from a saved model's weights")
    String initModel;

    @Option(names = "--output", paramLabel = "MODEL_DIR", description = "Where to write the trained model")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing model directory (only a sparkprop model or an "
            + "empty directory is ever replaced)")
    boolean overwrite;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write checkpoints of the run's whole state to DIR (any path Spark writes; a new, empty or "
                    + "sparkprop checkpoint directory), so a killed run continues with --resume")
    String checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "1",
            description = "With --checkpoint-dir: a checkpoint every K epochs, or every K steps as Ks (e.g. 200s) for "
                    + "long mini-batch epochs (default: ${DEFAULT-VALUE})")
    String checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "" + Checkpointing.DEFAULT_KEEP,
            description = "With --checkpoint-dir: keep the newest N checkpoints (default: ${DEFAULT-VALUE})")
    int keepCheckpoints;

    @Option(names = "--resume",
            description = "Continue from the newest complete checkpoint in --checkpoint-dir, or start from the "
                    + "beginning if there is none; the model is bitwise the one of an uninterrupted run. A checkpoint "
                    + "of other settings or data is refused")
    boolean resume;

    @Option(names = "--resume-anyway",
            description = "Like --resume, but continue even when the settings or data differ from the checkpoint's "
                    + "(e.g. more --epochs); the differences are logged")
    boolean resumeAnyway;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    @SuppressWarnings("try") // QuietLogging is held for the block, never referenced in it
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : out;
        TrainingConfig config = new TrainingConfig(epochs, learningRate, seed, partitions, blockSize, aggregationDepth,
                Precision.parse(precision), batchSize, optimizerOptions.rule(), standardize,
                validation == null ? validationFraction : 0.0, patience, tol);
        if (validation != null && validationFraction > 0) {
            throw new IllegalArgumentException("give --validation or --validation-fraction, not both");
        }
        if (patience > 0 && validation == null && validationFraction == 0) {
            throw new IllegalArgumentException("--early-stopping needs validation data: add --validation PATH or "
                    + "--validation-fraction F");
        }
        Checkpointing checkpointing = checkpointing();
        SyncMode syncMode = SyncMode.parse(sync);
        boolean regression = BuiltInTask.parse(task) == BuiltInTask.REGRESSION;
        if (input == null && syntheticRows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1, got " + syntheticRows);
        }
        String layerSpec = layers != null ? layers
                : input == null && initModel == null ? (regression ? BUILT_IN_REGRESSION_LAYERS : BUILT_IN_LAYERS)
                : null;
        if (layerSpec == null && initModel == null) {
            throw new IllegalArgumentException("--layers is required with --input, e.g. --layers 784,256,10 "
                    + "or --layers 'sigmoid(256)|softmax(10)'");
        }
        // Built before Spark starts, so a bad spec fails at once; its output layer is all the
        // readers need to check labels (the input width comes from the data).
        Network shape = layerSpec == null ? null : network(layerSpec, 1);
        try (QuietLogging logging = QuietLogging.when(quiet);
             SparkOptions.Session session = sparkOptions.open("sparkprop train");
             // Reserved before any work: a second job on the same --output fails now, not after training.
             PendingOutput reserved = output == null ? null
                     : new ModelStore(session.spark().sparkContext().hadoopConfiguration())
                             .reserve(output, overwrite, inputs())) {
            SparkSession spark = session.spark();
            Interruption interruption = session.interruption();
            interruption.at("while reading the data");
            ModelStore store = new ModelStore(spark.sparkContext().hadoopConfiguration());
            Model start = initModel == null ? null : store.load(initModel);
            // What the labels must be follows from the output layer alone, so the readers can check
            // every label where they know its file and line.
            TargetSpec targets = TargetSpec.of(start != null ? start.network() : shape);
            // Listed before anything is read: a file still being written shows as changed once the data is cached.
            List<String> read = new ArrayList<>();
            if (input != null) {
                read.add(input);
            }
            if (validation != null) {
                read.add(validation);
            }
            InputSnapshot before = InputSnapshot.of(spark.sparkContext().hadoopConfiguration(), read);
            LabeledData data;
            if (input == null) {
                int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
                config = config.withPartitions(slices);
                DataLoader loader = new DataLoader(spark);
                data = regression ? loader.synthetic(SyntheticRegression.standard(seed), syntheticRows, slices)
                        : loader.synthetic(SyntheticClusters.standard(seed), syntheticRows, slices);
            } else {
                data = inputOptions.load(spark, input, targets);
            }
            LabeledData validationData = validation == null ? null
                    : inputOptions.load(spark, validation, targets, data.featureCount());
            if (validationData != null && validationData.featureCount() != data.featureCount()) {
                throw new IllegalArgumentException("the validation data " + validationData.source() + " has "
                        + validationData.featureCount() + " features, the training data " + data.featureCount());
            }
            Network network = start != null ? start.network() : network(layerSpec, data.featureCount());
            if (start != null && layerSpec != null && !network(layerSpec, data.featureCount()).equals(network)) {
                throw new IllegalArgumentException("--layers " + layerSpec + " does not match the network of --init-model "
                        + initModel + ": " + network);
            }
            if (start != null && standardize && start.standardization().isEmpty()) {
                throw new IllegalArgumentException("--standardize: the --init-model " + initModel + " was trained on "
                        + "raw features, so its weights expect them");
            }
            if (network.inputSize() != data.featureCount()) {
                throw new IllegalArgumentException("the network takes " + network.inputSize() + " inputs but "
                        + data.source() + " has " + data.featureCount() + " features");
            }

            progress.printf("data:    %s%n", data.source());
            if (validationData != null || config.validationFraction() > 0) {
                progress.printf("validation: %s%n", validationData != null ? validationData.source()
                        : String.format("%.0f%% of the data, split by seed %d", 100 * config.validationFraction(), seed));
            }
            progress.printf("network: %s, %,d parameters%n", network, network.parameterCount());
            progress.printf("optimizer: %s; %s%n",
                    config.update().describe(learningRate, epochs),
                    batchSize > 0 ? "batch size " + batchSize : "full batch");
            progress.printf("spark:   %s, block size %d, aggregation depth %d, %s, BLAS %s%n",
                    spark.sparkContext().master(), blockSize, aggregationDepth, config.precision().id(),
                    Backprop.blasName());
            progress.flush();

            // Spark's UI lists the run's jobs under one group; the trainer describes each job.
            spark.sparkContext().setJobGroup("sparkprop-train", "sparkprop train", false);
            interruption.at("at epoch 1");
            ProgressLine line = ProgressLine.onTerminal(quiet, System.out, spark.sparkContext());
            SparkTrainer trainer = new SparkTrainer(config).withSync(syncMode)
                    .withStopRequest(interruption::requested).withInputs(before)
                    .withListener(stats -> {
                        if (line != null) {
                            line.clear();
                        }
                        printEpoch(progress, stats);
                        if (line != null && stats.epoch() == epochs) {
                            line.phase("evaluating the final weights");
                        }
                        interruption.at("at epoch " + (stats.epoch() + 1));
                    });
            if (line != null) {
                trainer = trainer.withStepListener(line::step);
            }
            if (validationData != null) {
                trainer = trainer.withValidation(validationData.frame());
            }
            if (checkpointing != null) {
                progress.printf("checkpoints: every %s to %s, the newest %d kept%s%n", checkpointing.every(),
                        checkpointDir, keepCheckpoints, checkpointing.resume() == Checkpointing.Resume.NEVER ? ""
                                : "; resuming from the newest, if any");
                List<InputPath> apart = inputs(); // and from the model, which replaces what is at --output
                if (output != null) {
                    apart.add(new InputPath("--output", output));
                }
                trainer = trainer.withCheckpoints(checkpointing, apart);
                interruption.afterwards("the model was not written; --resume continues from the checkpoint in "
                        + checkpointDir);
            }
            TrainingResult result;
            try (line) {
                if (line != null) {
                    line.phase("reading and caching the data");
                }
                result = start == null ? trainer.fit(data.frame(), network) : trainer.fit(data.frame(), start);
            }

            if (config.patience() > 0) {
                progress.printf("early stopping: kept the weights of epoch %d (lowest validation loss), %d of %d epochs run%n",
                        result.keptEpoch(), result.history().size(), epochs);
            }
            if (!result.history().isEmpty()) {
                progress.printf("time:    %.1f s of epochs: %s%n", result.epochSeconds(),
                        result.epochTimes().describe(result.epochSeconds()));
            }
            progress.printf("memory:  %s%n", result.memory().describe());
            out.printf("final:   %,d rows, %s, %.1f s, %s%n", result.rows(),
                    MetricsReport.summaryLine(result.training()), result.seconds(), result.memory().peakHeaps());
            if (result.validation() != null) {
                out.printf("validation: %,d rows, %s%n", result.validation().count(),
                        MetricsReport.summaryLine(result.validation()));
            }
            if (output != null) {
                interruption.check(); // a signal during the final evaluation: stop before writing
                store.save(result.model(), result.record(data.source()), reserved, TrainingReport.INSTANCE);
                out.printf("model:   %s%n", output);
            } else {
                out.println("model:   not saved (no --output)");
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The checkpoint options, checked; null without --checkpoint-dir. */
    private Checkpointing checkpointing() {
        if (checkpointDir == null) {
            if (resume || resumeAnyway) {
                throw new IllegalArgumentException((resume ? "--resume" : "--resume-anyway")
                        + " needs --checkpoint-dir, the directory of the run's checkpoints");
            }
            return null;
        }
        Checkpointing.Resume mode = resumeAnyway ? Checkpointing.Resume.ANYWAY
                : resume ? Checkpointing.Resume.IF_PRESENT : Checkpointing.Resume.NEVER;
        try {
            return new Checkpointing(checkpointDir, Checkpointing.Interval.parse(checkpointEvery), keepCheckpoints, mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--checkpoint-every/--keep-checkpoints: " + e.getMessage());
        }
    }

    /** What this job reads, which its --output may not be, contain or lie inside. */
    private List<InputPath> inputs() {
        List<InputPath> inputs = new ArrayList<>();
        if (input != null) {
            inputs.add(new InputPath("--input", input));
        }
        if (validation != null) {
            inputs.add(new InputPath("--validation", validation));
        }
        if (initModel != null) {
            inputs.add(new InputPath("--init-model", initModel));
        }
        return inputs;
    }

    private static void printEpoch(PrintWriter out, EpochStats s) {
        out.println(MetricsReport.epochLine(s));
        out.flush();
    }

    /**
     * Builds the network from --layers and the activation and loss options (without --loss, the
     * loss that goes with the output activation). Widths name their own input width; a layer spec
     * takes {@code dataWidth}.
     */
    private Network network(String layerSpec, int dataWidth) {
        if (layerSpec.contains("(")) {
            Network parsed = Network.parse(layerSpec, dataWidth);
            return loss == null ? parsed : parsed.withLoss(Loss.parse(loss));
        }
        int[] sizes;
        try {
            sizes = Arrays.stream(layerSpec.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layers '" + layerSpec + "' is neither comma-separated widths "
                    + "(784,256,10) nor a layer spec (sigmoid(256)|softmax(10))");
        }
        if (sizes.length < 2) {
            throw new IllegalArgumentException("--layers needs at least an input and an output width, e.g. 784,10; got '"
                    + layerSpec + "'");
        }
        Activation hidden = Activation.parse(activation);
        if (hidden == Activation.SOFTMAX) {
            throw new IllegalArgumentException("--activation softmax: softmax is allowed on the output layer only");
        }
        int outputs = sizes[sizes.length - 1];
        Activation outAct = outputActivation != null ? Activation.parse(outputActivation)
                : outputs > 1 ? Activation.SOFTMAX : Activation.SIGMOID;
        return loss == null ? Network.of(sizes, hidden, outAct) : Network.of(sizes, hidden, outAct, Loss.parse(loss));
    }
}
