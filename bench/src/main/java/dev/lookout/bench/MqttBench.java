package dev.lookout.bench;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.protocol.PresharedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent over MQTT against Debian's mosquitto. This harness is a network camera ({@code url:},
 * MJPEG over HTTP at 10 fps) showing {@link LatencyBench}'s cycle: quiet, then a person crossing.
 * Latency: onset is the moment the first frame with the person is written to the agent; a
 * {@code mosquitto_sub} stamps each {@code motion ON} and {@code snapshot} as it receives it.
 * Outage: the broker is stopped for 60 s while events go on, then started again; every event must
 * reach a subscriber afterwards, in order, and capture must go on meanwhile.
 * {@code bench/run mqtt [EVENTS]}.
 */
public final class MqttBench {
    private static final int WARM_UP = 2;
    private static final long OUTAGE_SECONDS = 60;
    private static final Pattern EVENT = Pattern.compile("\"type\":\"(\\w+)\",\"id\":\"([^\"]+)\"");
    /** When each client was shown the first frame of the person, in ms, by client name. */
    private static final Map<String, List<Long>> ONSETS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> FRAMES = new ConcurrentHashMap<>();

    private MqttBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path work = Scratch.directory("lookout-mqtt");
        LatencyBench.Cycle cycle = LatencyBench.Cycle.make();
        HttpServer camera = LiveBench.camera(cycle.frames(), LatencyBench.FPS, (name, index) -> {
            FRAMES.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
            if (index == cycle.onset()) {
                ONSETS.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
            }
        });
        String base = "url:http://127.0.0.1:" + camera.getAddress().getPort() + "/";
        Path key = work.resolve("key");
        PresharedKey.generate(key);
        Path config = Files.writeString(work.resolve("receiver.properties"),
                "dir=" + work.resolve("images") + "\nkey-file=" + key + "\nmin-free=0\n");
        List<String> receiver = List.of(Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString(),
                "--config", config.toString());
        System.out.printf(Locale.ROOT, "%d events after %d to warm up, 640x480 MJPEG over HTTP at %d fps, mosquitto %s,"
                + " %s, %d cores%n%n", events, WARM_UP, LatencyBench.FPS, "2.0", ReceiverBench.cpu(),
                Runtime.getRuntime().availableProcessors());
        try (Broker broker = Broker.start(work.resolve("broker"));
             ReceiverBench.Activator activator = ReceiverBench.Activator.start(work, List.of(), List.of(), receiver)) {
            System.out.println("| events start after | events | ON found | onset → `motion ON` p50 | p95 | max"
                    + " | onset → `snapshot` p50 | p95 |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (int minFrames : new int[] {2, 1}) {
                latency(work, broker, activator.port(), key, base, minFrames, events);
            }
            System.out.println();
            outage(work, broker, activator.port(), key, base, events);
        } finally {
            camera.stop(0);
        }
    }

    private static Process agent(Path work, String camera, String source, int port, Path key, int brokerPort,
                                 String... more) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(Path.of("agent/target/lookout-agent").toAbsolutePath().toString(),
                "run", "--source", source, "--camera", camera, "--to", "127.0.0.1:" + port, "--key-file", key.toString(),
                "--spool", work.resolve(camera + "-spool").toString(), "--control", work.resolve(camera + ".sock").toString(),
                "--clock-wait", "0", "--event-gap", "1000", "--mqtt", "mqtt://127.0.0.1:" + brokerPort));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(camera + ".log").toFile())
                .start();
    }

    private static void latency(Path work, Broker broker, int port, Path key, String base, int minFrames, int events)
            throws Exception {
        String camera = "latency-" + minFrames;
        Path received = work.resolve(camera + ".sub");
        Process sub = broker.subscribe(received, "lookout/" + camera + "/+", "@s.@N %t %l");
        Process agent = agent(work, camera, base + camera + ".mjpg", port, key, broker.port(), "--min-frames",
                String.valueOf(minFrames));
        try {
            while (ONSETS.getOrDefault(camera, List.of()).size() < WARM_UP + events + 1) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } finally {
            LiveBench.stop(agent);
            sub.destroy();
        }
        List<Long> onsets = ONSETS.get(camera).subList(WARM_UP, WARM_UP + events + 1);
        List<double[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(received)) {
            String[] parts = line.split(" ");
            lines.add(new double[] {Double.parseDouble(parts[0]) * 1000, parts[1].endsWith("/motion") ? 1 : 0,
                Integer.parseInt(parts[2])});
        }
        List<Double> on = new ArrayList<>();
        List<Double> snapshot = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long onset = onsets.get(i);
            long until = onsets.get(i + 1);
            lines.stream().filter(l -> l[1] == 1 && l[2] == 2 && l[0] >= onset && l[0] < until).findFirst()
                    .ifPresent(l -> on.add(l[0] - onset));
            lines.stream().filter(l -> l[1] == 0 && l[0] >= onset && l[0] < until).findFirst()
                    .ifPresent(l -> snapshot.add(l[0] - onset));
        }
        System.out.printf(Locale.ROOT, "| %d moving frame%s (`--min-frames %d`%s) | %d | %d | **%.0f ms** | %.0f ms | %.0f ms"
                + " | **%.0f ms** | %.0f ms |%n", minFrames, minFrames == 1 ? "" : "s", minFrames,
                minFrames == 2 ? ", the default" : "", events, on.size(), ReceiverBench.percentile(on, 50),
                ReceiverBench.percentile(on, 95), on.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                ReceiverBench.percentile(snapshot, 50), ReceiverBench.percentile(snapshot, 95));
    }

    private static void outage(Path work, Broker broker, int port, Path key, String base, int events) throws Exception {
        String camera = "outage";
        Path received = work.resolve(camera + ".sub");
        String[] session = {"-c", "-i", "bench-house"};
        Process sub = broker.subscribe(received, "lookout/" + camera + "/events", "%p", session);
        Process agent = agent(work, camera, base + camera + ".mjpg", port, key, broker.port());
        long framesBefore;
        long framesDuring;
        int startedBefore;
        int startedDuring;
        try {
            while (ONSETS.getOrDefault(camera, List.of()).size() < WARM_UP + 1) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            sub.destroy();
            sub.waitFor();
            broker.stop();
            framesBefore = FRAMES.get(camera).get();
            startedBefore = started(work, camera);
            TimeUnit.SECONDS.sleep(OUTAGE_SECONDS);
            framesDuring = FRAMES.get(camera).get() - framesBefore;
            startedDuring = started(work, camera) - startedBefore;
            broker.start();
            sub = broker.subscribe(received, "lookout/" + camera + "/events", "%p", session);
            while (ONSETS.get(camera).size() < events + 1) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } finally {
            LiveBench.stop(agent);
        }
        int started = started(work, camera);
        List<String> order = new ArrayList<>();
        for (int tries = 0; tries < 300; tries++) {
            order.clear();
            for (String line : Files.readAllLines(received)) {
                Matcher m = EVENT.matcher(line);
                if (m.find() && !m.group(1).equals("update")) {
                    order.add(m.group(1) + " " + m.group(2));
                }
            }
            if (order.size() >= 2 * started) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        sub.destroy();
        int news = 0;
        int reordered = 0;
        String open = null;
        String last = "";
        for (String entry : order) {
            String[] parts = entry.split(" ");
            if (parts[0].equals("new")) {
                news++;
                if (open != null || parts[1].compareTo(last) <= 0 && parts[1].length() == last.length()) {
                    reordered++;
                }
                open = parts[1];
                last = parts[1];
            } else if (!parts[1].equals(open)) {
                reordered++;
            } else {
                open = null;
            }
        }
        System.out.println("| broker outage | events (agent) | during the outage | frames taken in during it | events"
                + " received (each `new`, then its `end`) | lost | reordered |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| %d s (mosquitto stopped, started again) | %d | %d | %d of %d (%.0f %%) | %d"
                + " | **%d** | **%d** |%n", OUTAGE_SECONDS, started, startedDuring, framesDuring,
                OUTAGE_SECONDS * LatencyBench.FPS, 100.0 * framesDuring / (OUTAGE_SECONDS * LatencyBench.FPS), news,
                started - news, reordered);
    }

    /** Events the agent logged as started. */
    private static int started(Path work, String camera) throws java.io.IOException {
        return (int) Pattern.compile("motion started").matcher(Files.readString(work.resolve(camera + ".log"))).results()
                .count();
    }
}
