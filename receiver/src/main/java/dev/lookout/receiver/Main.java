package dev.lookout.receiver;

import dev.lookout.journal.JournalStream;
import dev.lookout.receiver.cli.Cli;
import dev.lookout.receiver.cli.FastStart;
import java.util.OptionalInt;

/** Entry point: a handed-over connection takes the fast path, everything else the full command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        JournalStream.install();
        OptionalInt served = FastStart.run(args, System.err);
        System.exit(served.isPresent() ? served.getAsInt() : Cli.run(args, System.err));
    }
}
