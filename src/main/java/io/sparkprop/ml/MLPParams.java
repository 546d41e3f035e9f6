package io.sparkprop.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Params that {@link MLPClassifier}, {@link MLPRegressor} and their models share, with Spark's
 * names where Spark has one. Each has a method of its own name that returns the {@link Param} (as
 * Spark's Scala {@code val}s appear from Java, for {@code ParamGridBuilder}) and a getter; the
 * estimators add fluent setters ({@link MLPSetters}). {@code explainParams()} documents them all.
 * A model carries the values its estimator was fitted with.
 */
public interface MLPParams extends Params {
    /** This instance's Param objects; use the methods named after the Params. */
    MLPParamSet mlpParamSet();

    default IntArrayParam hiddenLayers() {
        return mlpParamSet().hiddenLayers;
    }

    default int[] getHiddenLayers() {
        return $(hiddenLayers());
    }

    default Param<String> activation() {
        return mlpParamSet().activation;
    }

    default String getActivation() {
        return $(activation());
    }

    default Param<String> optimizer() {
        return mlpParamSet().optimizer;
    }

    default String getOptimizer() {
        return $(optimizer());
    }

    default DoubleParam stepSize() {
        return mlpParamSet().stepSize;
    }

    default double getStepSize() {
        return (Double) $(stepSize());
    }

    default IntParam maxIter() {
        return mlpParamSet().maxIter;
    }

    default int getMaxIter() {
        return (Integer) $(maxIter());
    }

    default IntParam batchSize() {
        return mlpParamSet().batchSize;
    }

    default int getBatchSize() {
        return (Integer) $(batchSize());
    }

    default LongParam seed() {
        return mlpParamSet().seed;
    }

    default long getSeed() {
        return (Long) $(seed());
    }

    default IntParam blockSize() {
        return mlpParamSet().blockSize;
    }

    default int getBlockSize() {
        return (Integer) $(blockSize());
    }

    default IntParam aggregationDepth() {
        return mlpParamSet().aggregationDepth;
    }

    default int getAggregationDepth() {
        return (Integer) $(aggregationDepth());
    }

    default DoubleParam tol() {
        return mlpParamSet().tol;
    }

    default double getTol() {
        return (Double) $(tol());
    }

    default BooleanParam standardize() {
        return mlpParamSet().standardize;
    }

    default boolean getStandardize() {
        return (Boolean) $(standardize());
    }

    default Param<String> precision() {
        return mlpParamSet().precision;
    }

    default String getPrecision() {
        return $(precision());
    }

    default DoubleParam momentum() {
        return mlpParamSet().momentum;
    }

    default double getMomentum() {
        return (Double) $(momentum());
    }

    default DoubleParam beta1() {
        return mlpParamSet().beta1;
    }

    default double getBeta1() {
        return (Double) $(beta1());
    }

    default DoubleParam beta2() {
        return mlpParamSet().beta2;
    }

    default double getBeta2() {
        return (Double) $(beta2());
    }

    default DoubleParam epsilon() {
        return mlpParamSet().epsilon;
    }

    default double getEpsilon() {
        return (Double) $(epsilon());
    }

    default DoubleParam weightDecay() {
        return mlpParamSet().weightDecay;
    }

    default double getWeightDecay() {
        return (Double) $(weightDecay());
    }

    default DoubleParam clipNorm() {
        return mlpParamSet().clipNorm;
    }

    default double getClipNorm() {
        return (Double) $(clipNorm());
    }

    default Param<String> lrSchedule() {
        return mlpParamSet().lrSchedule;
    }

    default String getLrSchedule() {
        return $(lrSchedule());
    }

    default DoubleParam lrDecay() {
        return mlpParamSet().lrDecay;
    }

    default double getLrDecay() {
        return (Double) $(lrDecay());
    }

    default DoubleParam lrDecayEpochs() {
        return mlpParamSet().lrDecayEpochs;
    }

    default double getLrDecayEpochs() {
        return (Double) $(lrDecayEpochs());
    }

    default DoubleParam lrMin() {
        return mlpParamSet().lrMin;
    }

    default double getLrMin() {
        return (Double) $(lrMin());
    }

    default DoubleParam warmupEpochs() {
        return mlpParamSet().warmupEpochs;
    }

    default double getWarmupEpochs() {
        return (Double) $(warmupEpochs());
    }

    default DoubleParam validationFraction() {
        return mlpParamSet().validationFraction;
    }

    default double getValidationFraction() {
        return (Double) $(validationFraction());
    }

    default Param<String> validationIndicatorCol() {
        return mlpParamSet().validationIndicatorCol;
    }

    default String getValidationIndicatorCol() {
        return $(validationIndicatorCol());
    }

    default IntParam earlyStoppingPatience() {
        return mlpParamSet().earlyStoppingPatience;
    }

    default int getEarlyStoppingPatience() {
        return (Integer) $(earlyStoppingPatience());
    }

    default Param<String> initialModel() {
        return mlpParamSet().initialModel;
    }

    default String getInitialModel() {
        return $(initialModel());
    }

    default Param<String> weightCol() {
        return mlpParamSet().weightCol;
    }

    default String getWeightCol() {
        return $(weightCol());
    }

    default Param<String> checkpointDir() {
        return mlpParamSet().checkpointDir;
    }

    default String getCheckpointDir() {
        return $(checkpointDir());
    }

    default IntParam checkpointInterval() {
        return mlpParamSet().checkpointInterval;
    }

    default int getCheckpointInterval() {
        return (Integer) $(checkpointInterval());
    }

    default Param<String> syncMode() {
        return mlpParamSet().syncMode;
    }

    default String getSyncMode() {
        return $(syncMode());
    }
}
