package dev.lookout.agent.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the command line and turns every outcome into an exit status, in this one place. What the
 * agent's exit codes mean: {@link Sysexit#OK} done, every still delivered; {@link Sysexit#USAGE} a
 * bad command line or source specification; {@link Sysexit#DATA} the receiver refused a still for
 * good (it was set aside); {@link Sysexit#NO_INPUT} the source or a file could not be read;
 * {@link Sysexit#UNAVAILABLE} no agent answers on the control socket; {@link Sysexit#SOFTWARE} a bug;
 * {@link Sysexit#TEMPFAIL} not delivered now, kept for later (no connection, storage full, wrong
 * key); {@link Sysexit#NOPERM} {@code setup} run by a user other than root, or a camera {@code devices} may not open; {@link Sysexit#CONFIG}
 * an unusable settings or key file.
 */
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
            if (e.getCause() instanceof Failure failure) {
                stderr.println("Error: " + failure.getMessage());
                return failure.status().code();
            }
            stderr.println("Error: " + e.getMessage());
            stderr.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return Sysexit.USAGE.code();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            Sysexit status = e instanceof IllegalArgumentException ? Sysexit.USAGE
                    : e instanceof Failure failure ? failure.status()
                    : e instanceof IOException ? Sysexit.NO_INPUT : Sysexit.SOFTWARE;
            stderr.println("Error: " + (status == Sysexit.SOFTWARE ? "unexpected failure: " + e : e.getMessage()));
            return status.code();
        });
        return cli.execute(args);
    }
}
