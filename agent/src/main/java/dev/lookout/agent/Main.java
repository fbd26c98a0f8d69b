package dev.lookout.agent;

import dev.lookout.agent.cli.Cli;
import dev.lookout.journal.JournalStream;

/** Entry point: hands off to {@link Cli}, the only place that knows about exit codes. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        JournalStream.install();
        System.exit(Cli.run(args, System.out, System.err));
    }
}
