package dev.lookout.bench;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import dev.lookout.protocol.PresharedKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Motion onset to file on the receiver's disk. This harness is the camera: it writes 640x480 JPEGs
 * at 10 fps into a named pipe that the packaged agent ({@code run --source pipe:FIFO}) reads, a
 * quiet scene and then, once per event, a person crossing it. Onset is the moment it writes the
 * first frame with the person in view; arrival is the stored file's ctime (its publication by the
 * receiver). The receiver runs behind {@code systemd-socket-activate}, per connection
 * ({@code Accept=yes}) and as one listener ({@code Accept=no}). {@code bench/run latency [EVENTS]}.
 */
public final class LatencyBench {
    static final int FPS = 10;
    /** 3 s of quiet (the agent's event gap is 1 s), then a person in view for 1.5 s. */
    private static final int QUIET = 30;
    private static final int WARM_UP = 2;

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path work = Scratch.directory("lookout-latency");
        Cycle cycle = Cycle.make();
        List<byte[]> frames = cycle.frames();
        int onsetFrame = cycle.onset();
        Path key = work.resolve("key");
        PresharedKey.generate(key);
        Path images = work.resolve("images");
        Path config = Files.writeString(work.resolve("receiver.properties"),
                "dir=" + images + "\nkey-file=" + key + "\nmin-free=0\n");
        List<String> receiver = List.of(Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString(),
                "--config", config.toString());
        System.out.printf(Locale.ROOT, "%d events after %d to warm up, 640x480 at %d fps, %s, %d cores%n%n", events,
                WARM_UP, FPS, ReceiverBench.cpu(), Runtime.getRuntime().availableProcessors());
        System.out.println("| receiver | events | found | p50 | p95 | max | p50 / 500 ms target |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        run(work, "per connection (`Accept=yes`)", List.of("--accept", "--inetd"), receiver, key, frames, onsetFrame,
                events, images.resolve("per-connection"));
        run(work, "one listener (`Accept=no`)", List.of(), receiver, key, frames, onsetFrame, events,
                images.resolve("listener"));
    }

    /** One event's frames at {@link #FPS}: quiet, then a person crossing; {@code onset} is the first with the person in view. */
    record Cycle(List<byte[]> frames, int onset) {
        static Cycle make() throws IOException {
            SyntheticScene scene = SyntheticScene.builder(640, 480).fps(FPS).frames(QUIET + 15)
                    .object(QUIET, 720.0 / 15, 80, 200).build();
            List<byte[]> frames = new ArrayList<>();
            int onset = -1;
            Frame frame;
            while ((frame = scene.next()) != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(frame.image(), "jpeg", out);
                frames.add(out.toByteArray());
                if (onset < 0 && scene.objectInView((int) frame.index())) {
                    onset = (int) frame.index();
                }
            }
            return new Cycle(frames, onset);
        }
    }

    private static void run(Path work, String name, List<String> mode, List<String> receiver, Path key, List<byte[]> cycle,
                            int onsetFrame, int events, Path cameraDir) throws Exception {
        String camera = cameraDir.getFileName().toString();
        Path fifo = work.resolve(camera + ".fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("mkfifo failed");
        }
        List<Long> onsets = new ArrayList<>();
        try (ReceiverBench.Activator activator = ReceiverBench.Activator.start(work, mode, List.of(), receiver)) {
            Process agent = new ProcessBuilder(ReceiverBench.javaBinary(), "-jar",
                    Path.of("agent/target/lookout-agent.jar").toAbsolutePath().toString(), "run", "--source", "pipe:" + fifo,
                    "--camera", camera, "--to", "127.0.0.1:" + activator.port(), "--key-file", key.toString(),
                    "--spool", work.resolve(camera + "-spool").toString(), "--control",
                    work.resolve(camera + ".sock").toString(), "--clock-wait", "0", "--event-gap", "1000")
                    .redirectErrorStream(true).redirectOutput(work.resolve(camera + "-agent.log").toFile()).start();
            try (OutputStream pipe = Files.newOutputStream(fifo)) {
                long next = System.nanoTime();
                for (int event = 0; event < WARM_UP + events; event++) {
                    for (int i = 0; i < cycle.size(); i++) {
                        next += TimeUnit.SECONDS.toNanos(1) / FPS;
                        TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                        if (i == onsetFrame && event >= WARM_UP) {
                            onsets.add(System.currentTimeMillis());
                        }
                        pipe.write(cycle.get(i));
                        pipe.flush();
                    }
                }
                for (int i = 0; i < QUIET; i++) {
                    TimeUnit.MILLISECONDS.sleep(1000 / FPS);
                    pipe.write(cycle.get(0));
                }
            } finally {
                agent.destroy();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
        }
        report(name, onsets, arrivals(cameraDir));
    }

    /** When each stored still appeared, in ms, oldest first. */
    private static List<Long> arrivals(Path cameraDir) throws IOException {
        if (!Files.exists(cameraDir)) {
            return List.of();
        }
        List<Long> times = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(cameraDir)) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".jpg") && !Files.isSymbolicLink(p)
                    && !p.getFileName().toString().startsWith(".")).toList()) {
                times.add(((FileTime) Files.getAttribute(p, "unix:ctime")).toMillis());
            }
        }
        times.sort(null);
        return times;
    }

    private static void report(String name, List<Long> onsets, List<Long> arrivals) {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < onsets.size(); i++) {
            long onset = onsets.get(i);
            long until = i + 1 < onsets.size() ? onsets.get(i + 1) : Long.MAX_VALUE;
            arrivals.stream().filter(t -> t >= onset && t < until).findFirst()
                    .ifPresent(t -> latencies.add((double) (t - onset)));
        }
        if (latencies.isEmpty()) {
            System.out.printf("| %s | %d | 0 | - | - | - | - |%n", name, onsets.size());
            return;
        }
        double p50 = ReceiverBench.percentile(latencies, 50);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | **%.0f ms** | %.0f ms | %.0f ms | %.2f |%n", name, onsets.size(),
                latencies.size(), p50, ReceiverBench.percentile(latencies, 95),
                latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0), p50 / 500);
    }
}
