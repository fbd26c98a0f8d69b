package dev.lookout.receiver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real child process, as a user or systemd starts it, whose standard error is collected line by
 * line so that a test can wait for what it says instead of sleeping.
 */
public final class Program implements AutoCloseable {
    /** The packaged receiver, as {@code mvn package} leaves it. */
    public static final Path JAR = Path.of("target/lookout-receiver.jar").toAbsolutePath();
    public static final Path LAUNCHER = Path.of("target/lookout-receiver").toAbsolutePath();
    private static final Pattern CHILD_EXIT = Pattern.compile("Child \\d+ died with code (\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private Program(ProcessBuilder builder) throws IOException {
        builder.redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        this.process = builder.start();
        Thread reader = new Thread(this::collect, "stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    public static Program start(List<String> command) throws IOException {
        return start(command, Map.of(), ProcessBuilder.Redirect.PIPE);
    }

    public static Program start(List<String> command, Map<String, String> env, ProcessBuilder.Redirect stdin)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(stdin);
        builder.environment().putAll(env);
        return new Program(builder);
    }

    /** {@code java -jar lookout-receiver.jar ARGS} */
    public static List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code systemd-socket-activate OPTIONS -l ADDRESS COMMAND…} */
    public static List<String> activate(List<String> options, String address, List<String> command) {
        List<String> all = new ArrayList<>();
        all.add("systemd-socket-activate");
        all.addAll(options);
        all.add("-l");
        all.add(address);
        all.addAll(command);
        return all;
    }

    /** A loopback port that was free a moment ago (for tools that cannot bind port 0 and report it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Waits until a line matching {@code test} has been printed; returns it. */
    public String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (test.test(line)) {
                        return line;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such line within " + timeout + "; stderr so far: " + lines);
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until {@code n} per-connection children of {@code systemd-socket-activate --accept} have exited; returns their codes. */
    public List<Integer> awaitChildExits(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                List<Integer> codes = new ArrayList<>();
                for (String line : lines) {
                    Matcher m = CHILD_EXIT.matcher(line);
                    if (m.find()) {
                        codes.add(Integer.parseInt(m.group(1)));
                    }
                }
                if (codes.size() >= n) {
                    return codes;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(codes.size() + " of " + n + " children exited; stderr: " + lines);
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String stderr() {
        return String.join("\n", lines());
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; stderr: " + lines());
        }
        return process.exitValue();
    }

    /** Runs {@code java -jar lookout-receiver.jar ARGS...} to its end (two minutes at most). */
    public static Result runJar(String... args) throws IOException, InterruptedException {
        try (Program program = start(javaJar(args))) {
            int code = program.awaitExit(Duration.ofSeconds(120));
            return new Result(code, program.stderr());
        }
    }

    /** How a program that ran to its end ended. */
    public record Result(int code, String stderr) {
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A config file for the receiver in {@code dir}. */
    public static Path config(Path dir, String... lines) throws IOException {
        return Files.write(dir.resolve("receiver.properties"), List.of(lines));
    }
}
