package dev.lookout.bench;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The packaged agent ({@code lookout-agent run --source url:…}, the launcher's JVM flags) and Motion
 * watching the same live MJPEG-over-HTTP camera side by side: JPEG frames of a real clip served on
 * loopback at 5 fps, one connection each. For each, the CPU time of its whole process tree (the
 * JVM with its ffmpeg child; Motion) per frame served to it, and the peak of the tree's summed RSS,
 * over a window after a warm-up. The agent's stills go to a receiver listening behind
 * {@code systemd-socket-activate}. {@code bench/run live [SECONDS] [RUNS]}.
 */
public final class LiveBench {
    private static final int FPS = 5;
    private static final long WARM_UP_SECONDS = 20;
    private static final long TICKS_PER_SECOND = 100;
    /** Frames served so far, by client name. */
    private static final Map<String, AtomicLong> SERVED = new ConcurrentHashMap<>();

    private LiveBench() {
    }

    /**
     * {@code FRAMES_DIR SECONDS RUNS [mqtt]}: the clip's JPEGs, the measured window, how many runs;
     * with {@code mqtt}, each run measures the agent twice, without and then with {@code --mqtt} to a
     * mosquitto of the harness's own (what MQTT adds, on the same run).
     */
    public static void main(String[] args) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            for (Path file : listing.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                frames.add(Files.readAllBytes(file));
            }
        }
        long seconds = Long.parseLong(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<Boolean> variants = args.length > 3 && args[3].equals("mqtt") ? List.of(false, true) : List.of(false);
        boolean motion = onPath("motion");
        Path work = Scratch.directory("lookout-live");
        HttpServer camera = camera(frames);
        String base = "http://127.0.0.1:" + camera.getAddress().getPort();
        System.out.printf(Locale.ROOT, "%d frames of %d KB on average, served at %d fps; %d s after %d s of warm-up;"
                + " %s, %d cores%n%n", frames.size(), frames.stream().mapToInt(f -> f.length).sum() / frames.size() / 1024,
                FPS, seconds, WARM_UP_SECONDS, ReceiverBench.cpu(), Runtime.getRuntime().availableProcessors());
        System.out.println("| run | agent CPU per frame: JVM + ffmpeg | agent peak RSS (JVM + ffmpeg) | Motion CPU per frame"
                + " | Motion peak RSS | agent / Motion CPU |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        Path key = work.resolve("key");
        PresharedKey.generate(key);
        Path config = Files.writeString(work.resolve("receiver.properties"),
                "dir=" + work.resolve("images") + "\nkey-file=" + key + "\nmin-free=0\n");
        List<String> receiver = List.of(Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString(),
                "--config", config.toString());
        try (ReceiverBench.Activator activator = ReceiverBench.Activator.start(work, List.of(), List.of(), receiver);
             Broker broker = variants.size() > 1 ? Broker.start(work.resolve("broker")) : null) {
            for (int index = 1; index <= runs * variants.size(); index++) {
                boolean mqtt = variants.get((index - 1) % variants.size());
                String run = (index - 1) / variants.size() + 1 + (variants.size() == 1 ? "" : mqtt ? " with MQTT" : " without");
                List<String> command = new ArrayList<>(List.of(Path.of("agent/target/lookout-agent").toAbsolutePath().toString(),
                        "run", "--source", "url:" + base + "/agent-" + index + ".mjpg", "--camera", "door", "--to",
                        "127.0.0.1:" + activator.port(), "--key-file", key.toString(), "--spool",
                        work.resolve("spool").toString(), "--control", work.resolve("control.sock").toString(),
                        "--clock-wait", "0"));
                if (mqtt) {
                    command.addAll(List.of("--mqtt", "mqtt://127.0.0.1:" + broker.port()));
                }
                Process agent = new ProcessBuilder(command)
                        .redirectErrorStream(true).redirectOutput(work.resolve("agent-" + index + ".log").toFile()).start();
                Process motionDaemon = motion ? motion(work, base + "/motion-" + index + ".mjpg") : null;
                try {
                    TimeUnit.SECONDS.sleep(WARM_UP_SECONDS);
                    Tree agentTree = new Tree(agent.toHandle());
                    Tree motionTree = motion ? new Tree(motionDaemon.toHandle()) : null;
                    long agentFrames = served("agent-" + index);
                    long motionFrames = served("motion-" + index);
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    while (System.nanoTime() < end) {
                        agentTree.sample();
                        if (motionTree != null) {
                            motionTree.sample();
                        }
                        TimeUnit.MILLISECONDS.sleep(500);
                    }
                    long handled = served("agent-" + index) - agentFrames;
                    double agentMs = agentTree.cpuMillis() / handled;
                    String agentCpu = String.format(Locale.ROOT, "**%.1f ms** = %.1f + %.1f", agentMs,
                            agentTree.rootCpuMillis() / handled, (agentTree.cpuMillis() - agentTree.rootCpuMillis()) / handled);
                    if (motionTree == null) {
                        System.out.printf(Locale.ROOT, "| %s | %s | %.0f MiB | (motion not installed) | | |%n", run,
                                agentCpu, agentTree.peakRssMib());
                    } else {
                        double motionMs = motionTree.cpuMillis() / (served("motion-" + index) - motionFrames);
                        System.out.printf(Locale.ROOT, "| %s | %s | %.0f MiB | %.1f ms | %.0f MiB | **%.2f×** |%n", run,
                                agentCpu, agentTree.peakRssMib(), motionMs, motionTree.peakRssMib(), agentMs / motionMs);
                    }
                } finally {
                    stop(agent);
                    if (motionDaemon != null) {
                        stop(motionDaemon);
                    }
                }
            }
        } finally {
            camera.stop(0);
        }
    }

    private static long served(String client) {
        return SERVED.computeIfAbsent(client, c -> new AtomicLong()).get();
    }

    /**
     * A network camera on loopback: {@code /NAME.mjpg} streams the frames in a loop at {@link #FPS}
     * as {@code multipart/x-mixed-replace}, each connection from the first frame, counted by NAME.
     */
    static HttpServer camera(List<byte[]> frames) throws IOException {
        return camera(frames, FPS, (name, index) -> { });
    }

    /** The same at {@code fps}; {@code written} hears of each frame (client name, frame index) once it is written. */
    static HttpServer camera(List<byte[]> frames, int fps, java.util.function.ObjIntConsumer<String> written) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().replaceAll("^/|\\.mjpg$", "");
            AtomicLong count = SERVED.computeIfAbsent(name, c -> new AtomicLong());
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                long next = System.nanoTime();
                for (int i = 0; ; i = (i + 1) % frames.size()) {
                    byte[] jpeg = frames.get(i);
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    count.incrementAndGet();
                    written.accept(name, i);
                    next += TimeUnit.SECONDS.toNanos(1) / fps;
                    TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                }
            } catch (IOException | InterruptedException gone) {
                // the client went away
            }
        });
        server.start();
        return server;
    }

    /**
     * Motion 4.5 with Debian's defaults, watching {@code url}: no pictures, movies, web control or
     * stream, so that it only detects (its cheapest way of watching); its files go under {@code work}.
     */
    private static Process motion(Path work, String url) throws IOException {
        Path dir = Files.createDirectories(work.resolve("motion"));
        Path config = Files.writeString(dir.resolve("motion.conf"), String.join("\n",
                "daemon off", "setup_mode off", "log_file " + dir.resolve("motion.log"), "log_level 6",
                "target_dir " + dir, "netcam_url " + url, "width 768", "height 576", "framerate " + FPS,
                "text_left CAMERA1", "text_right %Y-%m-%d\\n%T-%q", "threshold 1500", "despeckle_filter EedDl",
                "minimum_motion_frames 1", "event_gap 60", "pre_capture 3", "post_capture 0", "picture_output off",
                "movie_output off", "webcontrol_port 0", "stream_port 0", ""));
        return new ProcessBuilder("motion", "-n", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("motion.out").toFile()).start();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * A process and all its descendants, read from {@code /proc}: CPU time (their own and that of
     * children they reaped) since the first sample, and the peak of their summed RSS.
     */
    private static final class Tree {
        private final ProcessHandle root;
        private final long startTicks;
        private final long startRootTicks;
        private long lastTicks;
        private long lastRootTicks;
        private long peakRssKb;

        Tree(ProcessHandle root) throws IOException {
            this.root = root;
            this.startTicks = ticks();
            this.lastTicks = startTicks;
            this.startRootTicks = ownTicks(root.pid());
            this.lastRootTicks = startRootTicks;
        }

        void sample() throws IOException {
            lastTicks = ticks();
            lastRootTicks = ownTicks(root.pid());
            long rss = 0;
            for (ProcessHandle p : members()) {
                rss += rssKb(p.pid());
            }
            peakRssKb = Math.max(peakRssKb, rss);
        }

        double cpuMillis() {
            return (lastTicks - startTicks) * 1000.0 / TICKS_PER_SECOND;
        }

        /** The root's own CPU time (the JVM's, without its children). */
        double rootCpuMillis() {
            return (lastRootTicks - startRootTicks) * 1000.0 / TICKS_PER_SECOND;
        }

        private static long ownTicks(long pid) {
            String[] fields = stat(pid);
            return fields.length > 12 ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) : 0;
        }

        double peakRssMib() {
            return peakRssKb / 1024.0;
        }

        private List<ProcessHandle> members() {
            List<ProcessHandle> members = new ArrayList<>(List.of(root));
            root.descendants().forEach(members::add);
            return members;
        }

        /** utime + stime of the tree's live processes, plus the root's cutime + cstime (children it reaped). */
        private long ticks() throws IOException {
            long ticks = 0;
            for (ProcessHandle p : members()) {
                String[] fields = stat(p.pid());
                if (fields.length > 14) {
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    if (p.equals(root)) {
                        ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                    }
                }
            }
            return ticks;
        }

        /** The fields of /proc/PID/stat after the command name (field 3, state, is index 0). */
        private static String[] stat(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            } catch (IOException e) {
                return new String[0]; // it has just ended
            }
        }

        private static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // it has just ended
            }
            return 0;
        }
    }
}
