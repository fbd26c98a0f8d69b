package dev.lookout.agent.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process that writes JPEGs to its standard output (ffmpeg, rpicam-vid, a user's command).
 * Its standard error is drained, its last lines kept for the error that ends the stream.
 */
final class ProcessFrames {
    private static final int KEPT_LINES = 5;

    private ProcessFrames() {
    }

    /** JPEGs on the command's standard output; detection decodes them. */
    static MjpegStream start(List<String> command, double fps) throws IOException {
        return start(command, fps, line -> { });
    }

    /** As {@link #start(List, double)}, each line the command writes to standard error also given to {@code log}. */
    static MjpegStream start(List<String> command, double fps, Consumer<String> log) throws IOException {
        Process process = launch(command);
        process.getOutputStream().close();
        Stderr stderr = drain(process, command.get(0), log);
        return new MjpegStream(process.getInputStream(), ended -> stop(process, command.get(0), stderr, ended), fps);
    }

    /** What a short-lived command writes to its standard output and error, together. */
    static String output(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        try (var out = process.getInputStream()) {
            return new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Starts the command, its standard input a pipe (closed by whoever has nothing to write). */
    private static Process launch(List<String> command) throws IOException {
        try {
            return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** A thread draining a process's standard error, and the last lines it kept. */
    private record Stderr(Thread thread, Deque<String> lastLines) {
    }

    private static Stderr drain(Process process, String name, Consumer<String> log) {
        Deque<String> lastLines = new ArrayDeque<>();
        Thread drain = new Thread(() -> keepLast(process, lastLines, log), "stderr-" + name);
        drain.setDaemon(true);
        drain.start();
        return new Stderr(drain, lastLines);
    }

    private static void keepLast(Process process, Deque<String> lastLines, Consumer<String> log) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.accept(line);
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Ends the process: one whose output ended is waited for (it is exiting; its failure and last
     * words are reported), a running one is ended at once — SIGTERM, and SIGKILL if it is not gone
     * within a second — so that a stalled camera cannot keep it.
     */
    private static void stop(Process process, String name, Stderr stderr, boolean ended) throws IOException {
        try {
            // Signalled through its handle, at once: Process.destroy() would first flush its standard input.
            if (!ended) {
                process.toHandle().destroy();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.toHandle().destroyForcibly();
                    process.waitFor();
                }
                return;
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
            stderr.thread().join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        int code = process.exitValue();
        if (code != 0 && code != 143 && code != 255) {
            Deque<String> lastLines = stderr.lastLines();
            synchronized (lastLines) {
                throw new IOException(name + " exited with " + code
                        + (lastLines.isEmpty() ? "" : ": " + String.join(" / ", lastLines)));
            }
        }
    }
}
