package dev.lookout.agent.cli;

import dev.lookout.agent.control.ControlServer;
import dev.lookout.agent.control.CtlClient;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {"Talks to the running agent: status, snapshot (a still now, motion or not), arm, disarm, flush.",
            "Exit 0 on an answer, 64 for a command the agent does not know, 69 when no agent answers (or it is still starting, or its camera has given no picture yet)."})
final class CtlCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--control", defaultValue = "/run/lookout-agent/control.sock", paramLabel = "PATH",
            description = "The agent's control socket (default: ${DEFAULT-VALUE}).")
    Path controlPath;

    @Parameters(paramLabel = "COMMAND", description = "status, snapshot, arm, disarm or flush.")
    String command;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String answer;
        try {
            answer = CtlClient.ask(controlPath, command);
        } catch (IOException e) {
            spec.commandLine().getErr().println("Error: " + why(e));
            return Sysexit.UNAVAILABLE.code();
        }
        spec.commandLine().getOut().println(answer);
        if (ControlServer.unavailable(answer)) {
            return Sysexit.UNAVAILABLE.code();
        }
        return answer.startsWith("ERR") ? Sysexit.USAGE.code() : Sysexit.OK.code();
    }

    /** Why no answer came: a permission problem says how to get the permission. */
    private String why(IOException e) {
        if (String.valueOf(e.getMessage()).contains("Permission denied")) {
            return "permission denied on " + controlPath + ": only root and the group lookout may use it; join the group"
                    + " with 'sudo usermod -aG lookout " + System.getProperty("user.name") + "', then log in again";
        }
        return "no agent answers on " + controlPath + ": " + e.getMessage();
    }
}
