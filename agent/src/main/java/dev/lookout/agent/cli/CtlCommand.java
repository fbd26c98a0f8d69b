package dev.lookout.agent.cli;

import dev.lookout.agent.control.CtlClient;
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
            "Exit 0 on an answer, 64 for a command the agent does not know, 69 when no agent answers."})
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
            spec.commandLine().getErr().println("Error: no agent answers on " + controlPath + ": " + e.getMessage());
            return ExitStatus.UNAVAILABLE.code();
        }
        spec.commandLine().getOut().println(answer);
        return answer.startsWith("ERR") ? ExitStatus.USAGE.code() : ExitStatus.OK.code();
    }
}
