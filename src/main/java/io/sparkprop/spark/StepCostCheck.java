package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether Spark's fixed cost per step dominated this run, judged on a measured epoch rather than on
 * the scaling model's estimate (whose constants come from the reference machine), and what would
 * lower it here. The judged epoch is the run's second (the first also warms up the JIT and fills
 * the caches), or its only one. The warning is for runs where it matters and something can be done:
 *
 * <ul>
 *   <li>the epoch spent more than half its time outside the engine ({@link EpochStats#overheadPerStep()}
 *       × steps: scheduling, broadcast, aggregation or the barrier exchange, the driver's update);
 *   <li>at that rate the run's epochs spend at least {@value #MIN_RUN_SECONDS} s on it; and
 *   <li>the run has a knob that trades it for compute: a larger batch for mini-batches, barrier steps
 *       when a job runs every step by choice or for want of task slots, fewer partitions or
 *       executors on a cluster. A full-batch run in local mode pays the cost once per epoch, with
 *       nothing to trade.
 * </ul>
 */
final class StepCostCheck {
    static final double MIN_RUN_SECONDS = 10;

    private final String remedy; // null: nothing to trade
    private final int epochs;
    private int seen;

    /**
     * @param barrierUnfit why barrier steps cannot run here, or null (see {@link BarrierSteps#unfit})
     * @param epochs the run's last epoch
     */
    StepCostCheck(boolean local, boolean miniBatch, boolean barrierSteps, SyncMode sync, String barrierUnfit,
                  int epochs) {
        this.remedy = remedy(local, miniBatch, barrierSteps, sync, barrierUnfit);
        this.epochs = epochs;
    }

    private static String remedy(boolean local, boolean miniBatch, boolean barrierSteps, SyncMode sync,
                                 String barrierUnfit) {
        List<String> knobs = new ArrayList<>();
        if (miniBatch) {
            knobs.add("a larger --batch-size");
            if (!barrierSteps && barrierUnfit != null) {
                knobs.add("barrier steps (--sync barrier), which cannot run now: " + barrierUnfit);
            } else if (!barrierSteps && sync == SyncMode.JOBS) {
                knobs.add("barrier steps (--sync barrier)");
            }
        }
        if (!local) {
            knobs.add("fewer partitions or executors");
        }
        if (knobs.isEmpty()) {
            return null;
        }
        String last = knobs.remove(knobs.size() - 1);
        return knobs.isEmpty() ? last : String.join(", ", knobs) + " or " + last;
    }

    /** The warning to log after {@code stats}, the run's latest epoch; empty but once per run. */
    Optional<String> after(EpochStats stats) {
        seen++;
        boolean judged = seen == 2 || (seen == 1 && stats.epoch() >= epochs);
        double fixed = stats.overheadPerStep() * stats.steps();
        if (!judged || remedy == null || fixed <= stats.seconds() / 2 || fixed * epochs < MIN_RUN_SECONDS) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "Spark's fixed cost per step took %.0f%% of epoch %d "
                + "(%.1f ms per step x %d steps: %.2f s of %.2f s); %s would spend more of it computing "
                + "(see docs/SCALING.md)", 100 * fixed / stats.seconds(), stats.epoch(),
                1e3 * stats.overheadPerStep(), stats.steps(), fixed, stats.seconds(), remedy));
    }
}
