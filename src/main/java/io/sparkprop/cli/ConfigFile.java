package io.sparkprop.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A job file: a Java properties file whose keys are a command's long option names without the
 * dashes ({@code epochs = 12}, {@code batch-size = 1024}, {@code standardize = true}). Its values
 * become the options' defaults, so any flag on the command line still wins. A key that names no
 * option is an error, not a silently ignored typo.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String OPTION = "--config";

    private final Properties values;

    private ConfigFile(Properties values) {
        this.values = values;
    }

    /**
     * Installs the job file named by {@code --config FILE} (or {@code --config=FILE}) in
     * {@code args} as the default-value provider of the subcommand it belongs to. The file has to
     * be read before picocli parses the arguments, since defaults are applied during parsing.
     */
    static void install(CommandLine root, String[] args) {
        String file = null;
        CommandLine command = null;
        for (int i = 0; i < args.length; i++) {
            if (command == null && root.getSubcommands().containsKey(args[i])) {
                command = root.getSubcommands().get(args[i]);
            } else if (args[i].equals(OPTION) && i + 1 < args.length) {
                file = args[i + 1];
            } else if (args[i].startsWith(OPTION + "=")) {
                file = args[i].substring(OPTION.length() + 1);
            }
        }
        if (file != null && command != null && command.getCommandSpec().findOption(OPTION) != null) {
            command.setDefaultValueProvider(read(Path.of(file), command.getCommandSpec()));
        }
    }

    private static ConfigFile read(Path file, CommandSpec command) {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it as a properties file: "
                    + e.getMessage());
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            known.add(key(option));
        }
        for (String key : values.stringPropertyNames()) {
            if (!known.contains(key) || key.equals(key(command.findOption(OPTION)))) {
                throw new IllegalArgumentException("--config " + file + ": '" + key + "' is not an option of "
                        + command.name() + " (options: " + String.join(", ", known) + ")");
            }
        }
        return new ConfigFile(values);
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec option ? values.getProperty(key(option)) : null;
    }
}
