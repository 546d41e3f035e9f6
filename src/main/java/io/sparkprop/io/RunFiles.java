package io.sparkprop.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Files drawn from a {@link SavedRun} (the report), written by {@link ModelStore#save} into the
 * same atomic output as the model: they appear with it or not at all. Implemented above this
 * package, which does not draw.
 */
@FunctionalInterface
public interface RunFiles {
    /** No files beyond the model's own. */
    RunFiles NONE = (run, files) -> { };

    /** Writes the files {@code run} calls for, each opened with {@code files}. */
    void write(SavedRun run, Sink files) throws IOException;

    /** Opens one file of the output for writing; the caller closes it. */
    @FunctionalInterface
    interface Sink {
        OutputStream create(ReportFile file) throws IOException;
    }
}
