package io.sparkprop.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that does not parse as one line on stderr: the command, what is wrong,
 * the closest valid option or command for a misspelt one, and where the rest is listed; the exit
 * code is {@link ExitCodes#USAGE}. (Picocli's own handler follows the message with the command's
 * whole usage help, which buries the line that matters.)
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        ParameterException e = exception;
        if (!(e instanceof UnmatchedArgumentException) && !command.getUnmatchedArguments().isEmpty()) {
            // A misspelt required option is first reported missing; its spelling is the mistake to name.
            e = new UnmatchedArgumentException(command, command.getUnmatchedArguments());
        }
        String name = command.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(suggestions.get(0)).append('?');
            }
        }
        line.append(" (see ").append(name).append(" --help)");
        PrintWriter err = command.getErr();
        err.println(line);
        err.flush();
        return ExitCodes.USAGE;
    }
}
