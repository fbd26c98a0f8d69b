package dev.lookout.agent.cli;

import picocli.CommandLine.Command;

@Command(name = "lookout-agent", mixinStandardHelpOptions = true, version = "lookout-agent " + AgentCommand.VERSION,
        subcommands = {RunCommand.class, CtlCommand.class, DetectCommand.class, DevicesCommand.class, SendCommand.class,
            FlushCommand.class, SetupCommand.class},
        description = "The camera side of Lookout: captures frames, detects change, sends stills.")
final class AgentCommand {
    /** The agent's version. */
    static final String VERSION = "0.1.0";
}
