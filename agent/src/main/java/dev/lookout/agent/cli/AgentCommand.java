package dev.lookout.agent.cli;

import picocli.CommandLine.Command;

@Command(name = "lookout-agent", mixinStandardHelpOptions = true, version = "lookout-agent 0.1.0",
        subcommands = {RunCommand.class, CtlCommand.class, DetectCommand.class, DevicesCommand.class, SendCommand.class,
            FlushCommand.class, SetupCommand.class},
        description = "The camera side of Lookout: captures frames, detects change, sends stills.")
final class AgentCommand {
}
