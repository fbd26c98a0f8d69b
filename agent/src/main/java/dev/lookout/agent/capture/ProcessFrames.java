package dev.lookout.agent.capture;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A child process that writes JPEGs to its standard output (ffmpeg, rpicam-vid, a user's command).
 * Its standard error is drained, its last lines kept for the error that ends the stream.
 */
final class ProcessFrames {
    private static final int KEPT_LINES = 5;
    private static final byte[] CRLF = {'\r', '\n'};

    private ProcessFrames() {
    }

    /** JPEGs on the command's standard output; detection decodes them. */
    static MjpegStream start(List<String> command, double fps) throws IOException {
        Process process = launch(command);
        process.getOutputStream().close();
        Stderr stderr = drain(process, command.get(0));
        return new MjpegStream(process.getInputStream(), ended -> stop(process, command.get(0), stderr, ended), null, fps);
    }

    /**
     * JPEGs on the standard output of an ffmpeg that also writes a small grey picture of each frame
     * (YUV4MPEG2) to a Unix socket, whose path it is given: {@code command} makes its command line.
     */
    static MjpegStream withSmall(Function<Path, List<String>> command, double fps) throws IOException {
        return withSmall(command, null, fps);
    }

    /**
     * JPEGs from {@code jpegs} (a named pipe, a command's output, a folder) given to an ffmpeg that
     * reads them on its standard input ({@code -f mpjpeg}: each comes with its length, so ffmpeg
     * takes it without waiting for the next) and gives them back, each with its small grey picture, as
     * {@link #withSmall(Function, double)}. A thread feeds them; closing the stream closes {@code jpegs}
     * too (a failing command's reason comes first).
     */
    static MjpegStream fed(FrameStream jpegs, Function<Path, List<String>> command, double fps) throws IOException {
        return withSmall(command, jpegs, fps);
    }

    private static MjpegStream withSmall(Function<Path, List<String>> command, FrameStream jpegs, double fps)
            throws IOException {
        Path dir = Files.createTempDirectory("lookout-capture");
        Path socket = dir.resolve("small.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Process process;
        List<String> line;
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            line = command.apply(socket);
            process = launch(line);
        } catch (IOException e) {
            server.close();
            delete(dir);
            throw e;
        }
        // ffmpeg connects once its input is open; if it ends first, nothing will connect.
        process.onExit().thenRun(() -> closeQuietly(server));
        Stderr stderr = drain(process, line.get(0));
        if (jpegs == null) {
            process.getOutputStream().close();
        } else {
            Thread feeder = new Thread(() -> feed(jpegs, process.getOutputStream()), "feed-" + line.get(0));
            feeder.setDaemon(true);
            feeder.start();
        }
        GreyPlanes small = new GreyPlanes(() -> Channels.newInputStream(server.accept()));
        return new MjpegStream(process.getInputStream(), ended -> {
            // the source's failure (a command's exit and last words) says more than ffmpeg's that followed
            IOException failure = null;
            try {
                if (jpegs != null) {
                    jpegs.close();
                }
            } catch (IOException e) {
                failure = e;
            }
            try {
                stop(process, line.get(0), stderr, ended);
            } catch (IOException e) {
                failure = failure != null ? failure : e;
            } finally {
                server.close();
                delete(dir);
            }
            if (failure != null) {
                throw failure;
            }
        }, small, fps);
    }

    /** Writes each JPEG of {@code jpegs} to {@code out} as a part of a multipart stream, with its length. */
    private static void feed(FrameStream jpegs, OutputStream out) {
        try (out) {
            Frame frame;
            while ((frame = jpegs.next()) != null) {
                byte[] jpeg = frame.jpeg();
                out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write(CRLF);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the source failed (its close says why) or ffmpeg is gone: its output ends either way
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

    private static Stderr drain(Process process, String name) {
        Deque<String> lastLines = new ArrayDeque<>();
        Thread drain = new Thread(() -> keepLast(process, lastLines), "stderr-" + name);
        drain.setDaemon(true);
        drain.start();
        return new Stderr(drain, lastLines);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
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

    /**
     * Ends the process: one whose output ended is waited for (it is exiting; its failure and last
     * words are reported), a running one is ended at once — SIGTERM, and SIGKILL if it is not gone
     * within a second — so that a stalled camera cannot keep it.
     */
    private static void stop(Process process, String name, Stderr stderr, boolean ended) throws IOException {
        try {
            // Signalled through its handle: Process.destroy() would first flush its standard input,
            // which waits for a feeding thread blocked on a full pipe (ffmpeg, stopped, reads no more).
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
