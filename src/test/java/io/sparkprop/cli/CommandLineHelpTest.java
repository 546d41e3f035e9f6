package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.engine.Backprop;
import io.sparkprop.io.DataFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** What the command line says about itself: versions, the command list, usage errors, help texts. No Spark. */
class CommandLineHelpTest {
    /** Every command registered on {@link SparkpropCli}, in its order. */
    private static final List<Class<?>> COMMANDS = Arrays.asList(SparkpropCli.class.getAnnotation(Command.class)
            .subcommands());

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** A property of the pom, e.g. the project's version: what the build stamps, not what the code says. */
    private static String fromPom(String element) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(element) + ">([^<]+)</").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), element + " in pom.xml");
        return m.group(1);
    }

    @Test
    void everyCommandPrintsTheVersionsOfSparkpropSparkAndTheBlas() throws IOException {
        List<String> expected = List.of("sparkprop " + fromPom("version"), "Spark " + fromPom("spark.version") + ",",
                "BLAS " + Backprop.blasName());
        List<String[]> invocations = new ArrayList<>(List.of(new String[] {"-V"}, new String[] {"--version"}));
        for (Class<?> command : COMMANDS) {
            invocations.add(new String[] {name(command), "-V"});
        }
        for (String[] args : invocations) {
            CliRun run = CliRun.of(args);
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals(3, lines.size(), String.join(" ", args) + ": " + run.out());
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(lines.get(i).startsWith(expected.get(i)), String.join(" ", args) + ": " + run.out());
            }
        }
    }

    @Test
    void noCommandListsEveryCommandOnOneLineAndIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        List<String> listed = lines.subList(lines.indexOf("Commands:") + 1, lines.size()).stream()
                .takeWhile(line -> line.startsWith("  ")).toList();
        assertEquals(COMMANDS.stream().map(CommandLineHelpTest::name).toList(),
                listed.stream().map(line -> line.trim().split(" +")[0]).toList(),
                "one line per command, each starting with its name: " + run.err());
        assertTrue(lines.get(lines.size() - 1).startsWith("sparkprop: name a command"), run.err());
    }

    @Test
    void aMisspeltOptionOrCommandGetsOneLineWithTheClosestValidOne() {
        CliRun option = CliRun.of("train", "--epoch", "3");
        assertEquals(ExitCodes.USAGE, option.exitCode());
        assertEquals(1, option.err().lines().count(), option.err());
        assertTrue(option.err().startsWith("sparkprop train: Unknown option"), option.err());
        assertTrue(option.err().contains("did you mean --epochs?"), option.err());

        CliRun required = CliRun.of("export", "--model", "m", "--outptu", "m.onnx");
        assertEquals(ExitCodes.USAGE, required.exitCode());
        assertEquals(1, required.err().lines().count(), required.err());
        assertTrue(required.err().contains("did you mean --output?"), required.err());

        CliRun command = CliRun.of("trian", "--epochs", "3");
        assertEquals(ExitCodes.USAGE, command.exitCode());
        assertEquals(1, command.err().lines().count(), command.err());
        assertTrue(command.err().contains("did you mean train?"), command.err());

        CliRun value = CliRun.of("predict", "--block-size", "many");
        assertEquals(ExitCodes.USAGE, value.exitCode());
        assertEquals(1, value.err().lines().count(), value.err());
        assertFalse(value.err().contains("\tat "), value.err());
    }

    @Test
    void everyInputOptionNamesEveryFormat() {
        int reading = 0;
        for (Class<?> command : COMMANDS) {
            OptionSpec input = new CommandLine(command).getCommandSpec().findOption("--input");
            if (input == null) {
                continue;
            }
            reading++;
            String help = String.join(" ", input.description()).toLowerCase(Locale.ROOT);
            for (DataFormat format : DataFormat.values()) {
                assertTrue(help.contains(format.id()), name(command) + " --input does not name " + format.id() + ": " + help);
            }
        }
        assertEquals(5, reading, "train, predict, evaluate, bench and mllib read data");
    }
}
