package dev.lookout.agent.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged receiver as a child process listening on loopback, for the agent's delivery tests. */
public final class ReceiverProcess implements AutoCloseable {
    private static final Path JAR = Path.of("../receiver/target/lookout-receiver.jar").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on /?127\\.0\\.0\\.1:(\\d+) ");

    private final Process process;
    private final int port;

    private ReceiverProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it on {@code port} (0: any free one) and waits until it listens. */
    public static ReceiverProcess start(Path images, Path key, String minFree, int port) throws IOException {
        Process process = new ProcessBuilder(List.of(Rig.java(), "-jar", JAR.toString(), "--listen", "127.0.0.1:" + port,
                "--dir", images.toString(), "--key-file", key.toString(), "--min-free", minFree))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                CompletableFuture.runAsync(() -> drain(err), Rig::ownThread);
                return new ReceiverProcess(process, Integer.parseInt(m.group(1)));
            }
        }
        throw new AssertionError("the receiver did not start");
    }

    private static void drain(BufferedReader err) {
        try {
            while (err.readLine() != null) {
                // keep the pipe flowing
            }
        } catch (IOException e) {
            // gone
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
