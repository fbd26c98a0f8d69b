package dev.lookout.agent.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process that writes JPEGs to its standard output (ffmpeg, rpicam-vid, a user's command).
 * Its standard error is drained, its last lines kept for the error that ends the stream.
 */
final class ProcessFrames {
    private static final int KEPT_LINES = 5;

    private ProcessFrames() {
    }

    static MjpegStream start(List<String> command, double fps) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread drain = new Thread(() -> keepLast(process, lastLines), "stderr-" + command.get(0));
        drain.setDaemon(true);
        drain.start();
        return new MjpegStream(process.getInputStream(), () -> stop(process, drain, command.get(0), lastLines), fps);
    }

    private static void keepLast(Process process, Deque<String> lastLines) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
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

    private static void stop(Process process, Thread drain, String name, Deque<String> lastLines) throws IOException {
        try {
            // A process that ended by itself (its output ended) is given a moment to be reaped:
            // destroy() would also close its standard error before the reason was read.
            if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            drain.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        int code = process.exitValue();
        if (code != 0 && code != 143 && code != 255) {
            synchronized (lastLines) {
                throw new IOException(name + " exited with " + code
                        + (lastLines.isEmpty() ? "" : ": " + String.join(" / ", lastLines)));
            }
        }
    }
}
