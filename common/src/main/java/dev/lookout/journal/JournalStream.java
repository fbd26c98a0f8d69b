package dev.lookout.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard error as the systemd journal reads it. Under a unit whose standard error is the journal
 * (systemd sets {@code JOURNAL_STREAM} to that stream's device and inode), each line gets the
 * sd-daemon priority prefix of its level ({@code <3>} for "ERROR" and "Error:", {@code <4>} for
 * "WARN", {@code <6>} for "INFO" and lines without a level, {@code <7>} for "DEBUG" and "TRACE";
 * an indented or "Caused by" line keeps the priority of the line before), which journald takes
 * as the line's priority ({@code SyslogLevelPrefix=}, on by default) and strips; and slf4j-simple
 * leaves out its timestamp, which the journal has. Anywhere else, nothing changes. Shared by
 * both programs: each calls {@link #install()} first thing in {@code main}.
 */
public final class JournalStream extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String priority = "<6>";

    public JournalStream(OutputStream out) {
        this.out = out;
    }

    /**
     * When standard error is the journal: replaces {@link System#err} with one that prefixes
     * priorities, and turns slf4j-simple's timestamps off. Call before the first logger is made.
     */
    public static void install() {
        if (isJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"))) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
            System.setErr(new PrintStream(new JournalStream(System.err), true, StandardCharsets.UTF_8));
        }
    }

    /** Whether {@code fd} (a /proc/self/fd link) is the stream {@code journalStream} ("DEVICE:INODE") names. */
    static boolean isJournal(String journalStream, Path fd) {
        if (journalStream == null || journalStream.indexOf(':') < 0) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.equals("socket:[" + journalStream.substring(journalStream.indexOf(':') + 1) + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            line.write('\n');
            emit();
        }
        out.close();
    }

    private void emit() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        priority = priorityOf(text, priority);
        out.write(priority.getBytes(StandardCharsets.US_ASCII));
        line.writeTo(out);
        line.reset();
        out.flush();
    }

    private static String priorityOf(String text, String before) {
        if (text.startsWith("ERROR ") || text.startsWith("Error: ")) {
            return "<3>";
        }
        if (text.startsWith("WARN ")) {
            return "<4>";
        }
        if (text.startsWith("DEBUG ") || text.startsWith("TRACE ")) {
            return "<7>";
        }
        if (text.startsWith(" ") || text.startsWith("\t") || text.startsWith("Caused by")) {
            return before;
        }
        return "<6>";
    }
}
