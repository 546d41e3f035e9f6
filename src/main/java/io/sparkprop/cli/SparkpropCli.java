package io.sparkprop.cli;

import io.sparkprop.io.InvalidDataException;
import io.sparkprop.io.ModelStoreException;
import io.sparkprop.io.UnreadableInputException;
import io.sparkprop.spark.DivergenceException;
import io.sparkprop.spark.TaskFailures;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkprop} command line. It only turns arguments into a validated configuration and
 * calls the trainer; every user mistake ends in a one-line message on stderr and an
 * {@link ExitCodes exit code}, never in a stack trace.
 */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, version = "sparkprop 0.1.0",
        description = "Data-parallel multilayer perceptron training on Apache Spark.",
        subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class, GenerateCommand.class,
                BenchCommand.class, MllibCommand.class})
public final class SparkpropCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, predict, evaluate or generate");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these streams and returns its exit code (no {@code System.exit}). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SparkpropCli())
                .setOut(out)
                .setErr(err)
                .setOverwrittenOptionsAllowed(true) // the last of a repeated option wins, so scripts set defaults
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, err));
        try {
            ConfigFile.install(cli, args);
        } catch (IllegalArgumentException e) {
            return report(e, err);
        }
        return cli.execute(args);
    }

    private static int report(Exception e, PrintWriter err) {
        int code;
        String message;
        InvalidDataException data = TaskFailures.dataError(e);
        UnreadableInputException unreadable = data == null ? TaskFailures.unreadableInput(e) : null;
        if (data != null) {
            code = ExitCodes.BAD_DATA;
            message = data.getMessage();
        } else if (unreadable != null) {
            code = ExitCodes.IO;
            message = unreadable.getMessage();
        } else if (e instanceof DivergenceException) {
            code = ExitCodes.DIVERGED;
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
