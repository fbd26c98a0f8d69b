package dev.lookout.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line and turns every outcome into an exit status, in this one place. */
public final class Cli {
    private Cli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter stdout = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter stderr = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new AgentCommand());
        cli.setOut(stdout).setErr(stderr);
        cli.setDefaultValueProvider(new AgentDefaults());
        cli.setParameterExceptionHandler((e, ignored) -> {
            if (e.getCause() instanceof ConfigException config) {
                stderr.println("Error: " + config.getMessage());
                return ExitStatus.CONFIG.code();
            }
            stderr.println("Error: " + e.getMessage());
            stderr.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitStatus.USAGE.code();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            ExitStatus status = e instanceof IllegalArgumentException ? ExitStatus.USAGE
                    : e instanceof ConfigException ? ExitStatus.CONFIG
                    : e instanceof IOException ? ExitStatus.NO_INPUT : ExitStatus.SOFTWARE;
            stderr.println("Error: " + (status == ExitStatus.SOFTWARE ? "unexpected failure: " + e : e.getMessage()));
            return status.code();
        });
        return cli.execute(args);
    }
}
