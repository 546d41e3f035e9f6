package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepCostCheckTest {
    private static final boolean LOCAL = true;
    private static final boolean CLUSTER = false;
    private static final boolean MINI_BATCH = true;
    private static final boolean FULL_BATCH = false;
    private static final boolean BARRIER = true;
    private static final boolean JOBS = false;

    /** An epoch of {@code steps} steps in {@code seconds}, {@code overheadMs} of each step outside the engine. */
    private static EpochStats epoch(int epoch, int steps, double seconds, double overheadMs) {
        return new EpochStats(epoch, 0.5, 0.9, null, 0.01, 1.0, steps, seconds, 60_000 / seconds, overheadMs / 1e3, 0);
    }

    /** The warning after the run's first two epochs, both {@code second}. */
    private static Optional<String> judge(StepCostCheck check, EpochStats second) {
        assertEquals(Optional.empty(), check.after(second), "the first epoch warms up and is never judged");
        return check.after(second);
    }

    @Test
    void localJobPerStepByChoiceIsToldAboutBarrierSteps() {
        StepCostCheck check = new StepCostCheck(LOCAL, MINI_BATCH, JOBS, SyncMode.JOBS, null, 12);
        String warning = judge(check, epoch(2, 59, 2.0, 25)).orElseThrow();
        assertTrue(warning.startsWith("Spark's fixed cost per step took 74% of epoch 2 (25.0 ms per step x 59 steps"),
                warning);
        assertTrue(warning.contains("a larger --batch-size or barrier steps (--sync barrier) would"), warning);
        assertEquals(Optional.empty(), check.after(epoch(3, 59, 2.0, 25)), "once per run");
    }

    @Test
    void barrierStepsThatCannotRunAreOfferedWithTheReason() {
        String unfit = "4 partitions need as many task slots at once, there are 2";
        StepCostCheck check = new StepCostCheck(LOCAL, MINI_BATCH, JOBS, SyncMode.AUTO, unfit, 12);
        assertTrue(judge(check, epoch(2, 59, 2.0, 25)).orElseThrow().contains("which cannot run now: " + unfit));
    }

    @Test
    void clusterRunsAreToldAboutPartitionsAndExecutors() {
        StepCostCheck check = new StepCostCheck(CLUSTER, FULL_BATCH, JOBS, SyncMode.AUTO, null, 100);
        assertTrue(judge(check, epoch(2, 1, 0.2, 150)).orElseThrow()
                .contains("; fewer partitions or executors would spend more of it computing"));
    }

    @Test
    void staysQuietWhenComputeDominates() {
        // The Fashion-MNIST recipe with barrier steps: about 3 ms of a 25 ms step.
        StepCostCheck check = new StepCostCheck(LOCAL, MINI_BATCH, BARRIER, SyncMode.AUTO, null, 12);
        assertEquals(Optional.empty(), judge(check, epoch(2, 53, 1.4, 3)));
    }

    @Test
    void staysQuietWhenTheRunWouldLoseLittle() {
        // The regression recipe: the fixed cost dominates its tiny steps, but 40 epochs lose about 2 s.
        StepCostCheck check = new StepCostCheck(LOCAL, MINI_BATCH, BARRIER, SyncMode.AUTO, null, 40);
        assertEquals(Optional.empty(), judge(check, epoch(2, 16, 0.06, 3)));
        StepCostCheck longer = new StepCostCheck(LOCAL, MINI_BATCH, BARRIER, SyncMode.AUTO, null, 400);
        assertTrue(judge(longer, epoch(2, 16, 0.06, 3)).orElseThrow().contains("; a larger --batch-size would"));
    }

    @Test
    void staysQuietWithNothingToTrade() {
        // Local full batch: one step per epoch, whatever it costs.
        StepCostCheck check = new StepCostCheck(LOCAL, FULL_BATCH, JOBS, SyncMode.AUTO, null, 1000);
        assertEquals(Optional.empty(), judge(check, epoch(2, 1, 0.03, 25)));
    }

    @Test
    void aOneEpochRunIsJudgedOnItsOnlyEpoch() {
        StepCostCheck check = new StepCostCheck(LOCAL, MINI_BATCH, JOBS, SyncMode.JOBS, null, 1);
        assertTrue(check.after(epoch(1, 600, 20, 25)).isPresent());
    }
}
