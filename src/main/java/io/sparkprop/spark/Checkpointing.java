package io.sparkprop.spark;

import java.util.Objects;

/**
 * Whether and how a run writes checkpoints and resumes from them (see {@link SparkTrainer#withCheckpoints}).
 *
 * @param dir the checkpoint directory, any path Hadoop writes
 * @param every how often a checkpoint is written
 * @param keep how many of the newest checkpoints are kept, at least 1
 * @param resume what to do with the checkpoints already in {@code dir}
 * @param bySettings keep each run's checkpoints in a subdirectory of {@code dir} named by a hash
 *     of its settings ({@code run-…}): runs of other settings (a CrossValidator's fits) never meet,
 *     and the same run, started again, resumes from its own
 */
public record Checkpointing(String dir, Interval every, int keep, Resume resume, boolean bySettings) {
    /** The number of checkpoints kept by default: the newest and one to fall back on if it is damaged. */
    public static final int DEFAULT_KEEP = 2;

    public Checkpointing {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(resume, "resume");
        if (dir.isBlank()) {
            throw new IllegalArgumentException("the checkpoint directory is empty");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoints to keep must be at least 1, got " + keep);
        }
    }

    /** Checkpoints directly in {@code dir}. */
    public Checkpointing(String dir, Interval every, int keep, Resume resume) {
        this(dir, every, keep, resume, false);
    }

    /** What to do with checkpoints a run finds in its directory. */
    public enum Resume {
        /** A new run: checkpoints already there are refused (they are another run's, or this one's to resume). */
        NEVER,
        /**
         * Continue from the newest checkpoint that verifies, if there is one, else start from the
         * beginning; a checkpoint of another configuration or other data is refused.
         */
        IF_PRESENT,
        /** Like {@link #IF_PRESENT}, but a changed configuration or data is only logged: the user means it. */
        ANYWAY
    }

    /**
     * A checkpoint every {@code count} epochs, or every {@code count} steps (with mini-batches, for
     * long epochs): {@code "5"} or {@code "200s"}.
     */
    public record Interval(int count, boolean steps) {
        public Interval {
            if (count < 1) {
                throw new IllegalArgumentException("the checkpoint interval must be at least 1, got " + count);
            }
        }

        /** {@code "K"} for every K epochs, {@code "Ks"} for every K steps. */
        public static Interval parse(String text) {
            String t = text.trim();
            boolean steps = t.endsWith("s");
            try {
                return new Interval(Integer.parseInt(steps ? t.substring(0, t.length() - 1) : t), steps);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the checkpoint interval is K epochs or Ks steps, e.g. 5 or 200s; got '"
                        + text + "'");
            }
        }

        /** Whether the state after {@code epoch} whole epochs and {@code globalStep} steps is due. */
        boolean dueAfterEpoch(int epoch, long globalStep) {
            return steps ? globalStep % count == 0 : epoch % count == 0;
        }

        /** Whether the state after step {@code globalStep} (counting from 1 over the run), inside an epoch, is due. */
        boolean dueAfterStep(long globalStep) {
            return steps && globalStep % count == 0;
        }

        @Override
        public String toString() {
            return count + (steps ? (count == 1 ? " step" : " steps") : (count == 1 ? " epoch" : " epochs"));
        }
    }
}
