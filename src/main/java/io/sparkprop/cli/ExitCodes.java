package io.sparkprop.cli;

/** Exit codes of the command line, for scripts and schedulers. */
public final class ExitCodes {
    /** The job did what was asked. */
    public static final int OK = 0;
    /** An unexpected failure inside sparkprop or Spark (a bug, or a cluster problem). */
    public static final int INTERNAL = 1;
    /** The command line is wrong: unknown option, bad value, inconsistent settings. */
    public static final int USAGE = 2;
    /** The input data is not what was expected (bad value, wrong width, bad label). */
    public static final int BAD_DATA = 3;
    /**
     * A model, an output or an input path could not be read or written: missing, or an I/O error
     * that Spark's retries did not cure.
     */
    public static final int IO = 4;
    /** Training diverged (non-finite loss); no model was written. */
    public static final int DIVERGED = 5;
    /** The model cannot be written in the format asked for ({@code export}: too large for one ONNX file). */
    public static final int UNSUPPORTED = 6;

    private ExitCodes() {
    }
}
