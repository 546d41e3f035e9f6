package io.sparkprop.cli;

import io.sparkprop.io.DataErrors;
import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.ModelStoreException;
import io.sparkprop.io.UnreadableInputException;
import io.sparkprop.onnx.UnsupportedModelException;
import io.sparkprop.spark.DivergenceException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkprop} command line. It only turns arguments into a validated configuration and
 * calls the trainer; every user mistake ends in a one-line message on stderr and an
 * {@link ExitCodes exit code}, never in a stack trace.
 */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Data-parallel multilayer perceptron training on Apache Spark.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class, GenerateCommand.class,
                BenchCommand.class, MllibCommand.class, ReportCommand.class, ExportCommand.class})
public final class SparkpropCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    final Interruption interruption;

    private SparkpropCli(Interruption interruption) {
        this.interruption = interruption;
    }

    /** No command given: the usage, which lists every command, on stderr. */
    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        cli.usage(err);
        err.println("sparkprop: name a command; 'sparkprop COMMAND --help' lists its options");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The program: handles SIGTERM and SIGINT (see {@link Interruption}) and exits with the command's code. */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                Interruption.install(), args));
    }

    /**
     * Runs the command line with these streams and returns its exit code (no {@code System.exit});
     * leaves the JVM's signal handling alone.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, Interruption.none(), args);
    }

    private static int execute(PrintWriter out, PrintWriter err, Interruption interruption, String... args) {
        CommandLine cli = new CommandLine(new SparkpropCli(interruption))
                .setOut(out)
                .setErr(err)
                .setOverwrittenOptionsAllowed(true) // the last of a repeated option wins, so scripts set defaults
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, err, interruption));
        try {
            ConfigFile.install(cli, args);
        } catch (IllegalArgumentException e) {
            return report(e, err, interruption);
        }
        return cli.execute(args);
    }

    private static int report(Exception e, PrintWriter err, Interruption interruption) {
        if (interruption.requested()) {
            // Whatever the signal made fail (a cancelled job, a stopped trainer), it is one line.
            err.println("sparkprop: " + interruption.describe());
            err.flush();
            return interruption.exitCode();
        }
        int code;
        String message;
        InvalidDataException data = DataErrors.find(e);
        UnreadableInputException unreadable = data == null ? UnreadableInputException.behind(e) : null;
        if (data != null) {
            code = ExitCodes.BAD_DATA;
            message = data.getMessage();
        } else if (unreadable != null) {
            code = ExitCodes.IO;
            message = unreadable.getMessage();
        } else if (e instanceof DivergenceException) {
            code = ExitCodes.DIVERGED;
            message = e.getMessage();
        } else if (e instanceof UnsupportedModelException) {
            code = ExitCodes.UNSUPPORTED;
            message = e.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } else if (e instanceof ModelStoreException || e instanceof UncheckedIOException) {
            code = ExitCodes.IO;
            message = e.getMessage();
        } else if (e instanceof AnalysisException analysis) {
            code = ExitCodes.IO;
            message = analysis.getSimpleMessage();
        } else {
            err.println("sparkprop: internal error: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCodes.INTERNAL;
        }
        err.println("sparkprop: " + message);
        err.flush();
        return code;
    }
}
