package io.sparkprop.ml;

import io.sparkprop.engine.Activation;
import io.sparkprop.engine.Precision;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.spark.SyncMode;
import io.sparkprop.spark.TrainingConfig;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The {@link Param} objects of one {@link MLPParams} instance, created with their documentation,
 * validators and defaults when the instance is. A Param belongs to one instance (its parent is the
 * instance's uid), so each estimator and model holds its own set; {@link MLPParams} exposes them
 * under their names.
 *
 * <p>The defaults are those of {@code sparkprop train}, so an estimator and the command line with
 * the same settings train the same model.
 */
public final class MLPParamSet implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Hidden activations by name; softmax belongs to the output layer only. */
    private static final String[] HIDDEN_ACTIVATIONS = Arrays.stream(Activation.values())
            .filter(a -> a != Activation.SOFTMAX).map(Activation::id).toArray(String[]::new);

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final Param<String> optimizer;
    final DoubleParam stepSize;
    final IntParam maxIter;
    final IntParam batchSize;
    final LongParam seed;
    final IntParam blockSize;
    final IntParam aggregationDepth;
    final DoubleParam tol;
    final BooleanParam standardize;
    final Param<String> precision;
    final DoubleParam momentum;
    final DoubleParam beta1;
    final DoubleParam beta2;
    final DoubleParam epsilon;
    final DoubleParam weightDecay;
    final DoubleParam clipNorm;
    final Param<String> lrSchedule;
    final DoubleParam lrDecay;
    final DoubleParam lrDecayEpochs;
    final DoubleParam lrMin;
    final DoubleParam warmupEpochs;
    final DoubleParam validationFraction;
    final Param<String> validationIndicatorCol;
    final IntParam earlyStoppingPatience;
    final Param<String> initialModel;
    final Param<String> weightCol;
    final Param<String> checkpointDir;
    final IntParam checkpointInterval;
    final Param<String> syncMode;

    MLPParamSet(Params owner) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "widths of the hidden layers, input side first, each >= 1; the input width comes from the features "
                        + "and the output width from the labels", positiveWidths());
        activation = new Param<>(owner, "activation", "activation of the hidden layers: "
                + String.join(", ", HIDDEN_ACTIVATIONS), ParamValidators.inArray(List.of(HIDDEN_ACTIVATIONS)));
        optimizer = new Param<>(owner, "optimizer", "update rule: gd (W <- W - stepSize * gradient), momentum, "
                + "nesterov, adam or lamb (adam with a per-layer trust ratio, for large batches)",
                ParamValidators.inArray(ids(Optimizer.Kind.values())));
        stepSize = new DoubleParam(owner, "stepSize", "learning rate (> 0), where a schedule starts; "
                + "about 1e-3 suits adam", ParamValidators.gt(0));
        maxIter = new IntParam(owner, "maxIter", "epochs: passes over the data (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(owner, "batchSize", "examples per synchronous step, summed over all partitions; "
                + "0 for full-batch steps (one per epoch)", ParamValidators.gtEq(0));
        seed = new LongParam(owner, "seed", "seed of the initial weights, the mini-batch shuffles and the "
                + "validation split");
        blockSize = new IntParam(owner, "blockSize", "rows stacked into one matrix for GEMM (>= 1)",
                ParamValidators.gtEq(1));
        aggregationDepth = new IntParam(owner, "aggregationDepth", "depth of the tree that merges the partitions' "
                + "gradient sums (>= 1)", ParamValidators.gtEq(1));
        tol = new DoubleParam(owner, "tol", "stop when an epoch lowers the mean training loss by less than this "
                + "fraction of the previous epoch's (>= 0; 0 trains every epoch)", ParamValidators.gtEq(0));
        standardize = new BooleanParam(owner, "standardize", "standardise the features with the training data's "
                + "mean and standard deviation; stored in the model and applied when it predicts");
        precision = new Param<>(owner, "precision", "arithmetic of the cached blocks and per-block passes: float64, "
                + "or float32 (about twice the GEMM speed; weights and sums stay float64)",
                ParamValidators.inArray(ids(Precision.values())));
        momentum = new DoubleParam(owner, "momentum", "momentum of the momentum and nesterov optimizers, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        beta1 = new DoubleParam(owner, "beta1", "first-moment decay of adam and lamb, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        beta2 = new DoubleParam(owner, "beta2", "second-moment decay of adam and lamb, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        epsilon = new DoubleParam(owner, "epsilon", "epsilon of adam and lamb (> 0)", ParamValidators.gt(0));
        weightDecay = new DoubleParam(owner, "weightDecay", "L2 penalty lambda/2 * |W|^2 on the weights, not the "
                + "biases (>= 0)", ParamValidators.gtEq(0));
        clipNorm = new DoubleParam(owner, "clipNorm", "scale the mean gradient down to this L2 norm when it is "
                + "longer (>= 0; 0 for no clipping)", ParamValidators.gtEq(0));
        lrSchedule = new Param<>(owner, "lrSchedule", "learning-rate schedule: constant, step (x lrDecay every "
                + "lrDecayEpochs), exponential (x lrDecay per epoch) or cosine (to lrMin over the run)",
                ParamValidators.inArray(ids(LearningRateSchedule.Kind.values())));
        lrDecay = new DoubleParam(owner, "lrDecay", "decay factor of the step and exponential schedules, in (0, 1]",
                ParamValidators.inRange(0, 1, false, true));
        lrDecayEpochs = new DoubleParam(owner, "lrDecayEpochs", "epochs between decays of the step schedule (> 0)",
                ParamValidators.gt(0));
        lrMin = new DoubleParam(owner, "lrMin", "final learning rate of the cosine schedule (>= 0)",
                ParamValidators.gtEq(0));
        warmupEpochs = new DoubleParam(owner, "warmupEpochs", "raise the learning rate linearly over this many "
                + "epochs (fractional allowed, at most maxIter) before the schedule, which keeps its clock "
                + "(>= 0; 0 for none)", ParamValidators.gtEq(0));
        validationFraction = new DoubleParam(owner, "validationFraction", "hold out this fraction of the rows "
                + "(split by seed) to evaluate after every epoch, in [0, 1); 0 for none",
                ParamValidators.inRange(0, 1, true, false));
        validationIndicatorCol = new Param<>(owner, "validationIndicatorCol", "name of a boolean column: rows where "
                + "it is true are validation data, evaluated after every epoch, the others training data");
        earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience", "stop after this many epochs without a "
                + "lower validation loss and keep the best epoch's weights (>= 0; 0 trains every epoch)",
                ParamValidators.gtEq(0));
        initialModel = new Param<>(owner, "initialModel", "path of a saved model (this estimator's, or a sparkprop "
                + "model directory) whose weights training starts from");
        weightCol = new Param<>(owner, "weightCol", "name of a numeric column of per-example weights (finite, "
                + ">= 0) that scale each row's loss and gradient; unset: every row weighs 1");

        checkpointDir = new Param<>(owner, "checkpointDir", "directory (any path Spark writes) for checkpoints of "
                + "the fit's whole state; a fit finding its own checkpoints there (same Params, data and partitioning) "
                + "continues from the newest and ends with the same model as an uninterrupted one; unset: none");
        checkpointInterval = new IntParam(owner, "checkpointInterval", "set checkpoint interval (>= 1) or disable "
                + "checkpoint (-1): a checkpoint every this many epochs, when checkpointDir is set",
                interval -> (Integer) interval >= 1 || (Integer) interval == -1);
        syncMode = new Param<>(owner, "syncMode", "how the partitions meet at each mini-batch step: jobs (one "
                + "Spark job per step), barrier (barrier jobs of many steps whose tasks exchange their sums; needs a "
                + "task slot per partition) or auto (the cheaper by the scaling model); the model is the same either "
                + "way", ParamValidators.inArray(ids(SyncMode.values())));

        owner.setDefault(hiddenLayers, new int[] {64});
        owner.setDefault(activation, "sigmoid");
        owner.setDefault(optimizer, "gd");
        owner.setDefault(stepSize, 1.0);
        owner.setDefault(maxIter, 100);
        owner.setDefault(batchSize, 0);
        owner.setDefault(seed, TrainingConfig.DEFAULT_SEED);
        owner.setDefault(blockSize, TrainingConfig.DEFAULT_BLOCK_SIZE);
        owner.setDefault(aggregationDepth, TrainingConfig.DEFAULT_AGGREGATION_DEPTH);
        owner.setDefault(tol, 0.0);
        owner.setDefault(standardize, false);
        owner.setDefault(precision, Precision.FLOAT64.id());
        owner.setDefault(momentum, 0.9);
        owner.setDefault(beta1, 0.9);
        owner.setDefault(beta2, 0.999);
        owner.setDefault(epsilon, 1e-8);
        owner.setDefault(weightDecay, 0.0);
        owner.setDefault(clipNorm, 0.0);
        owner.setDefault(lrSchedule, LearningRateSchedule.Kind.CONSTANT.id());
        owner.setDefault(lrDecay, 0.5);
        owner.setDefault(lrDecayEpochs, 10.0);
        owner.setDefault(lrMin, 0.0);
        owner.setDefault(warmupEpochs, 0.0);
        owner.setDefault(validationFraction, 0.0);
        owner.setDefault(earlyStoppingPatience, 0);
        owner.setDefault(checkpointInterval, 10);
        owner.setDefault(syncMode, SyncMode.AUTO.id());
    }

    private static Function1<int[], Object> positiveWidths() {
        return widths -> Arrays.stream(widths).allMatch(w -> w >= 1);
    }

    private static List<String> ids(Enum<?>[] kinds) {
        return Arrays.stream(kinds).map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
