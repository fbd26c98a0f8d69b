package dev.lookout.receiver.archive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count and a rate, rewritten in place once a second, for a person watching a terminal; nothing
 * when standard error is not a terminal (the journal gets only the summary line).
 */
final class Progress implements AutoCloseable {
    private final AtomicInteger done = new AtomicInteger();
    private final PrintWriter out;
    private final int total;
    private final long start = System.nanoTime();
    private final Thread ticker;

    private Progress(PrintWriter out, int total) {
        this.out = out;
        this.total = total;
        this.ticker = out == null ? null : new Thread(this::tick, "archive-progress");
        if (ticker != null) {
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** Progress over {@code total} stills, shown on {@code err} when standard error is a terminal. */
    static Progress of(PrintWriter err, int total) {
        return new Progress(stderrIsTerminal() ? err : null, total);
    }

    void step() {
        done.incrementAndGet();
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(1000);
                show("\r");
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void show(String start) {
        double seconds = Math.max(1e-3, (System.nanoTime() - this.start) / 1e9);
        out.print(String.format(Locale.ROOT, "%sarchive: %d of %d stills, %.0f/s ", start, done.get(), total,
                done.get() / seconds));
        out.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
            show("\r");
            out.println();
        }
    }

    /** Whether fd 2 is a terminal; Java's {@code System.console()} asks of standard input and output instead. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
