package io.sparkprop.ml;

/**
 * Fluent setters of the {@link MLPParams}, returning the estimator's own type so calls chain:
 * {@code new MLPClassifier().setHiddenLayers(new int[] {64}).setStepSize(0.1)}. Each value is
 * checked by its Param's validator when it is set.
 *
 * @param <T> the estimator
 */
public interface MLPSetters<T extends MLPSetters<T>> extends MLPParams {
    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    default T setHiddenLayers(int[] value) {
        set(hiddenLayers(), value);
        return self();
    }

    default T setActivation(String value) {
        set(activation(), value);
        return self();
    }

    default T setOptimizer(String value) {
        set(optimizer(), value);
        return self();
    }

    default T setStepSize(double value) {
        set(stepSize(), value);
        return self();
    }

    default T setMaxIter(int value) {
        set(maxIter(), value);
        return self();
    }

    default T setBatchSize(int value) {
        set(batchSize(), value);
        return self();
    }

    default T setSeed(long value) {
        set(seed(), value);
        return self();
    }

    default T setBlockSize(int value) {
        set(blockSize(), value);
        return self();
    }

    default T setAggregationDepth(int value) {
        set(aggregationDepth(), value);
        return self();
    }

    default T setTol(double value) {
        set(tol(), value);
        return self();
    }

    default T setStandardize(boolean value) {
        set(standardize(), value);
        return self();
    }

    default T setPrecision(String value) {
        set(precision(), value);
        return self();
    }

    default T setMomentum(double value) {
        set(momentum(), value);
        return self();
    }

    default T setBeta1(double value) {
        set(beta1(), value);
        return self();
    }

    default T setBeta2(double value) {
        set(beta2(), value);
        return self();
    }

    default T setEpsilon(double value) {
        set(epsilon(), value);
        return self();
    }

    default T setWeightDecay(double value) {
        set(weightDecay(), value);
        return self();
    }

    default T setClipNorm(double value) {
        set(clipNorm(), value);
        return self();
    }

    default T setLrSchedule(String value) {
        set(lrSchedule(), value);
        return self();
    }

    default T setLrDecay(double value) {
        set(lrDecay(), value);
        return self();
    }

    default T setLrDecayEpochs(double value) {
        set(lrDecayEpochs(), value);
        return self();
    }

    default T setLrMin(double value) {
        set(lrMin(), value);
        return self();
    }

    default T setWarmupEpochs(double value) {
        set(warmupEpochs(), value);
        return self();
    }

    default T setValidationFraction(double value) {
        set(validationFraction(), value);
        return self();
    }

    default T setValidationIndicatorCol(String value) {
        set(validationIndicatorCol(), value);
        return self();
    }

    default T setEarlyStoppingPatience(int value) {
        set(earlyStoppingPatience(), value);
        return self();
    }

    default T setInitialModel(String value) {
        set(initialModel(), value);
        return self();
    }

    default T setWeightCol(String value) {
        set(weightCol(), value);
        return self();
    }

    default T setCheckpointDir(String value) {
        set(checkpointDir(), value);
        return self();
    }

    default T setCheckpointInterval(int value) {
        set(checkpointInterval(), value);
        return self();
    }

    default T setSyncMode(String value) {
        set(syncMode(), value);
        return self();
    }
}
