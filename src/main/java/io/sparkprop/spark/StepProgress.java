package io.sparkprop.spark;

/**
 * Where a run is as an epoch begins (step 0, a resumed epoch's steps done so far) and after each
 * step, for a live progress display.
 *
 * @param epoch the epoch in progress, from 1
 * @param epochs the epochs the run may take
 * @param step steps of the epoch done
 * @param steps steps per epoch
 * @param rowsDone training rows of the epoch's steps done
 * @param epochSeconds wall clock since the epoch began
 */
public record StepProgress(int epoch, int epochs, int step, int steps, long rowsDone, double epochSeconds) {
}
