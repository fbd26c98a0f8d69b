package dev.lookout.bench;

import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Per-connection cost of the receiver under {@code systemd-socket-activate}, against the floor and
 * the simple alternatives, all in one run. Prints Markdown for docs/BENCHMARKS.md.
 * Run from the repository root after {@code mvn package}: {@code bench/run receiver [CONNECTIONS]}.
 */
public final class ReceiverBench {
    /** The launcher's own JVM flags, for the empty JVM, so that both start alike. */
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xss512k", "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr");
    private static final Pattern MAX_RSS = Pattern.compile("maxrss_kb=(\\d+)");
    private static final int ROUNDS = 4;

    private final Path work;
    private final Path launcher = Path.of("receiver/target/lookout-receiver").toAbsolutePath();
    private final byte[] jpeg;
    private final ImageCipher cipher;
    private final Path config;
    private final Path configWithoutKey;
    private final AtomicLong ids = new AtomicLong();

    private ReceiverBench(Path work) throws IOException {
        this.work = work;
        this.jpeg = jpeg();
        Path key = work.resolve("key");
        PresharedKey.generate(key);
        this.cipher = new ImageCipher(PresharedKey.read(key));
        Files.createDirectories(work.resolve("images"));
        this.config = Files.writeString(work.resolve("receiver.properties"),
                "dir=" + work.resolve("images") + "\nkey-file=" + key + "\nmin-free=0\n");
        this.configWithoutKey = Files.writeString(work.resolve("plain.properties"),
                "dir=" + work.resolve("images") + "\nmin-free=0\n");
    }

    /** What a client sends: one JPEG as it is, or framed, in the clear or encrypted. */
    private enum Upload { RAW, FRAMED, ENCRYPTED }

    /** Arguments: [CONNECTIONS] [SECTION…], sections {@code latency batch listener rss load} (default: all but load). */
    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> sections = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("latency", "batch", "listener", "rss");
        Path work = Scratch.directory("lookout-bench");
        new ReceiverBench(work).run(connections, sections);
    }

    private void run(int connections, List<String> sections) throws Exception {
        System.out.printf("Machine: %s, %d cores; %s %s; upload: one %d-byte JPEG%n%n", cpu(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), jpeg.length);
        if (sections.contains("latency")) {
            perConnection(connections);
        }
        if (sections.contains("batch")) {
            batch(1000);
        }
        if (sections.contains("listener")) {
            listener(connections);
        }
        if (sections.contains("rss")) {
            rss();
        }
        if (sections.contains("load")) {
            load(connections);
        }
    }

    /**
     * {@code uploads} clients at once, one encrypted image each: per connection under the shipped
     * socket's limits (lookout-receiver.socket: MaxConnections=32, MaxConnectionsPerSource=8; every
     * client here is one source, so at most 8 instances run and the rest wait, as refused agents
     * retry), and through one listener (Accept=no). Time to the last reply, peak RSS summed over
     * every receiver process alive at once, and what was stored.
     */
    private void load(int uploads) throws Exception {
        System.out.printf("### %d parallel uploads%n%n| receiver | time to the last reply | peak RSS, all receiver"
                + " processes | stored | lost |%n|---|---:|---:|---:|---:|%n", uploads);
        List<String> keyed = List.of(launcher.toString(), "--config", config.toString());
        for (String mode : List.of("per connection (Accept=yes, 8 at once)", "listener (Accept=no)")) {
            boolean perConnection = mode.startsWith("per");
            Path images = work.resolve("images");
            long before = Files.exists(images) ? countImages(images) : 0;
            try (Activator a = Activator.start(work, perConnection ? List.of("--accept", "--inetd") : List.of("--inetd"),
                    List.of(), keyed); RssSampler rss = new RssSampler(config.toString())) {
                java.util.concurrent.Semaphore limit = new java.util.concurrent.Semaphore(perConnection ? 8 : uploads);
                ExecutorService clients = Executors.newFixedThreadPool(uploads);
                try {
                    List<Future<Boolean>> done = new ArrayList<>();
                    long start = System.nanoTime();
                    for (int i = 0; i < uploads; i++) {
                        byte[] payload = payload(Upload.ENCRYPTED);
                        done.add(clients.submit(() -> {
                            limit.acquire();
                            try {
                                List<String> replies = send(a.port(), payload);
                                return replies.size() == 1 && replies.get(0).startsWith("OK ");
                            } finally {
                                limit.release();
                            }
                        }));
                    }
                    int ok = 0;
                    for (Future<Boolean> f : done) {
                        ok += f.get() ? 1 : 0;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long stored = countImages(images) - before;
                    System.out.printf(Locale.ROOT, "| %s | %.1f s | %.0f MB | %d | %d |%n", mode, seconds,
                            rss.peakKb() / 1024.0, stored, uploads - ok);
                } finally {
                    clients.shutdownNow();
                }
            }
        }
        System.out.println();
    }

    private static long countImages(Path images) throws IOException {
        try (var files = Files.walk(images)) {
            return files.filter(p -> p.toString().endsWith(".jpg") && !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().equals("latest.jpg")).count();
        }
    }

    /** Sums the resident memory of every process whose command line names {@code marker}, every 20 ms; keeps the peak. */
    private static final class RssSampler implements AutoCloseable {
        private final Thread thread;
        private volatile long peakKb;
        private volatile boolean running = true;

        RssSampler(String marker) {
            thread = new Thread(() -> {
                while (running) {
                    peakKb = Math.max(peakKb, ProcessHandle.allProcesses()
                            .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(marker)).orElse(false)
                                    && !p.info().command().orElse("").endsWith("systemd-socket-activate"))
                            .mapToLong(RssSampler::rssKb).sum());
                    try {
                        TimeUnit.MILLISECONDS.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss");
            thread.setDaemon(true);
            thread.start();
        }

        long peakKb() {
            return peakKb;
        }

        private static long rssKb(ProcessHandle p) {
            try {
                return Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private void perConnection(int connections) throws Exception {
        Path py = Files.createDirectories(work.resolve("py"));
        Path cat = Files.createDirectories(work.resolve("cat"));
        Map<String, Variant> variants = new LinkedHashMap<>();
        List<String> keyed = List.of(launcher.toString(), "--config", config.toString());
        List<String> unkeyed = List.of(launcher.toString(), "--config", configWithoutKey.toString());
        variants.put("empty JVM (floor)", new Variant(java("dev.lookout.bench.EmptyReceiver"), List.of(), Upload.RAW));
        variants.put("**Lookout, launcher, key set: encrypted frame**", new Variant(keyed, List.of(), Upload.ENCRYPTED));
        variants.put("Lookout, launcher, no key: clear frame (SHA-256 checked)",
                new Variant(unkeyed, List.of(), Upload.FRAMED));
        variants.put("Lookout, launcher, no key: raw JPEG", new Variant(unkeyed, List.of(), Upload.RAW));
        String before = System.getenv("LOOKOUT_BENCH_BEFORE");
        if (before != null) { // another build's receiver/target, for a before/after in one run
            String other = Path.of(before, "lookout-receiver").toAbsolutePath().toString();
            variants.put("before: key set, encrypted frame",
                    new Variant(List.of(other, "--config", config.toString()), List.of(), Upload.ENCRYPTED));
            variants.put("before: no key, clear frame",
                    new Variant(List.of(other, "--config", configWithoutKey.toString()), List.of(), Upload.FRAMED));
            variants.put("before: no key, raw JPEG",
                    new Variant(List.of(other, "--config", configWithoutKey.toString()), List.of(), Upload.RAW));
        }
        variants.put("Lookout, encrypted, launcher without CDS archive",
                new Variant(keyed, List.of("-E", "LOOKOUT_CDS=off"), Upload.ENCRYPTED));
        variants.put("Lookout, encrypted, options on the command line (picocli path)",
                new Variant(List.of(launcher.toString(), "--dir", work.resolve("images").toString(), "--key-file",
                        work.resolve("key").toString(), "--min-free", "0"), List.of(), Upload.ENCRYPTED));
        variants.put("Lookout, encrypted, plain java -jar (no launcher flags, no CDS)",
                new Variant(List.of(javaBinary(), "-jar", launcher.resolveSibling("lookout-receiver.jar").toString(),
                        "--config", config.toString()), List.of(), Upload.ENCRYPTED));
        variants.put("Python per connection (seed receiver)",
                new Variant(List.of(python(), script().toString(), py.toString()), List.of(), Upload.RAW));
        variants.put("sh: cat > file, echo OK",
                new Variant(List.of("sh", "-c", "cat > \"$0/$$.jpg\" && echo OK file", cat.toString()), List.of(),
                        Upload.RAW));

        Map<String, List<Double>> millis = new LinkedHashMap<>();
        List<Activator> activators = new ArrayList<>();
        try {
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                Activator a = Activator.start(work, List.of("--accept", "--inetd"), v.getValue().options(), v.getValue().command());
                activators.add(a);
                for (int i = 0; i < 3; i++) {
                    time(a.port(), payload(v.getValue().upload()));
                }
                millis.put(v.getKey(), new ArrayList<>());
            }
            int i = 0;
            for (int round = 0; round < ROUNDS; round++) {
                i = 0;
                for (Map.Entry<String, Variant> v : variants.entrySet()) {
                    Activator a = activators.get(i++);
                    for (int n = 0; n < connections / ROUNDS; n++) {
                        millis.get(v.getKey()).add(time(a.port(), payload(v.getValue().upload())));
                    }
                }
            }
        } finally {
            activators.forEach(Activator::close);
        }
        double floor = percentile(millis.get("empty JVM (floor)"), 50);
        System.out.printf("### Per-connection latency, %d sequential connections each (interleaved in %d rounds)%n%n",
                connections, ROUNDS);
        System.out.println("| started per connection | p50 ms | p95 ms | p50 / empty JVM |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, List<Double>> m : millis.entrySet()) {
            double p50 = percentile(m.getValue(), 50);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", m.getKey(), p50, percentile(m.getValue(), 95),
                    p50 / floor);
        }
        System.out.println();
    }

    private void batch(int images) throws Exception {
        try (Activator a = Activator.start(work, List.of("--accept", "--inetd"), List.of(),
                List.of(launcher.toString(), "--config", config.toString()))) {
            time(a.port(), payload(Upload.ENCRYPTED));
            ByteArrayOutputStream upload = new ByteArrayOutputStream();
            FrameWriter writer = new FrameWriter(upload, cipher);
            for (int i = 0; i < images; i++) {
                writer.write("bench", System.currentTimeMillis(), id(), false, jpeg);
            }
            long start = System.nanoTime();
            List<String> replies = send(a.port(), upload.toByteArray());
            double seconds = (System.nanoTime() - start) / 1e9;
            check(replies, images);
            System.out.printf(Locale.ROOT, "### Batch: %d encrypted images over one activation%n%n%.2f s, **%.0f images/s**%n%n",
                    images, seconds, images / seconds);
        }
    }

    private void listener(int connections) throws Exception {
        Path py = Files.createDirectories(work.resolve("py-parallel"));
        try (Activator warm = Activator.start(work, List.of("--inetd"), List.of(),
                List.of(launcher.toString(), "--config", config.toString()));
             Activator python = Activator.start(work, List.of("--accept", "--inetd"), List.of(),
                     List.of(python(), script().toString(), py.toString()))) {
            for (int i = 0; i < 5; i++) {
                time(warm.port(), payload(Upload.ENCRYPTED));
            }
            List<Double> sequential = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sequential.add(time(warm.port(), payload(Upload.ENCRYPTED)));
            }
            double lookoutRate = parallel(warm.port(), 4, 250, Upload.ENCRYPTED);
            double pythonRate = parallel(python.port(), 4, 50, Upload.RAW);
            System.out.printf(Locale.ROOT, "### Warm listener (Accept=no: one JVM serves a burst)%n%n"
                    + "| measure | Lookout listener | Python per connection | ratio |%n|---|---:|---:|---:|%n"
                    + "| p50 latency, sequential | %.1f ms | | |%n"
                    + "| 4 parallel clients, one image per connection | %.0f images/s | %.0f connections/s | %.1f× |%n%n",
                    percentile(sequential, 50), lookoutRate, pythonRate, lookoutRate / pythonRate);
        }
    }

    private void rss() throws Exception {
        List<String> wrapped = new ArrayList<>(List.of("python3", "-c", "import resource, subprocess, sys;"
                + " code = subprocess.run(sys.argv[1:]).returncode;"
                + " sys.stderr.write('maxrss_kb=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
                + " sys.exit(code)", launcher.toString(), "--config", config.toString()));
        try (Activator a = Activator.start(work, List.of("--accept", "--inetd"), List.of(), wrapped)) {
            send(a.port(), payload(Upload.ENCRYPTED));
            send(a.port(), payload(Upload.ENCRYPTED));
            ByteArrayOutputStream upload = new ByteArrayOutputStream();
            FrameWriter writer = new FrameWriter(upload, cipher);
            for (int i = 0; i < 200; i++) {
                writer.write("bench", System.currentTimeMillis(), id(), false, jpeg);
            }
            send(a.port(), upload.toByteArray());
            List<Long> kb = a.await(MAX_RSS, 3).subList(1, 3);
            System.out.printf("### Peak RSS of one instance%n%n| connection | peak RSS |%n|---|---:|%n"
                    + "| one image | %.1f MB |%n| 200 images | %.1f MB |%n%n", kb.get(0) / 1024.0, kb.get(1) / 1024.0);
        }
    }

    private double parallel(int port, int clients, int each, Upload upload) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        time(port, payload(upload));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return clients * each / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] payload(Upload upload) throws IOException {
        if (upload == Upload.RAW) {
            return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out, upload == Upload.ENCRYPTED ? cipher : null)
                .write("bench", System.currentTimeMillis(), id(), false, jpeg);
        return out.toByteArray();
    }

    private byte[] id() {
        return ByteBuffer.allocate(16).putLong(ProcessHandle.current().pid()).putLong(ids.incrementAndGet()).array();
    }

    private static double time(int port, byte[] payload) throws IOException {
        long start = System.nanoTime();
        check(send(port, payload), 1);
        return (System.nanoTime() - start) / 1e6;
    }

    private static List<String> send(int port, byte[] payload) throws IOException {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            channel.write(ByteBuffer.wrap(payload));
            channel.shutdownOutput();
            String text = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        }
    }

    private static void check(List<String> replies, int expected) {
        if (replies.size() != expected || !replies.stream().allMatch(r -> r.startsWith("OK "))) {
            throw new IllegalStateException("unexpected replies: " + replies.subList(0, Math.min(3, replies.size())));
        }
    }

    static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static List<String> java(String mainClass) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return command;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The interpreter itself, not a version manager's shim script in front of it. */
    static String python() throws IOException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    Path script() throws IOException {
        return script(work);
    }

    /** The seed's receiver script, written into {@code dir}. */
    static Path script(Path dir) throws IOException {
        Path script = dir.resolve("seed_receiver.py");
        if (!Files.exists(script)) {
            try (InputStream in = ReceiverBench.class.getResourceAsStream("seed_receiver.py")) {
                Files.copy(in, script);
            }
        }
        return script;
    }

    /** A 640x480 noisy scene: about 150 KB as JPEG, like a busy camera still. */
    static byte[] jpeg() throws IOException {
        Random random = new Random(42);
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int v = (x + y) * 255 / 1120;
                image.setRGB(x, y, noisy(random, v) << 16 | noisy(random, v / 2) << 8 | noisy(random, 255 - v));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static int noisy(Random random, int value) {
        return Math.max(0, Math.min(255, value + random.nextInt(130) - 65));
    }

    static String cpu() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private record Variant(List<String> command, List<String> options, Upload upload) {
    }

    /** One {@code systemd-socket-activate} on a free loopback port, its output in a log file. */
    record Activator(Process process, int port, Path log) implements AutoCloseable {
        static Activator start(Path work, List<String> mode, List<String> options, List<String> command)
                throws IOException, InterruptedException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            List<String> all = new ArrayList<>(List.of("systemd-socket-activate"));
            all.addAll(mode);
            all.addAll(options);
            all.addAll(List.of("-l", "127.0.0.1:" + port));
            all.addAll(command);
            Path log = work.resolve("activate-" + port + ".log");
            Process process = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Activator activator = new Activator(process, port, log);
            while (!Files.readString(log).contains("Listening on")) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("systemd-socket-activate failed: " + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return activator;
        }

        List<Long> await(Pattern pattern, int count) throws IOException, InterruptedException {
            for (int tries = 0; tries < 500; tries++) {
                List<Long> found = new ArrayList<>();
                Matcher m = pattern.matcher(Files.readString(log));
                while (m.find()) {
                    found.add(Long.parseLong(m.group(1)));
                }
                if (found.size() >= count) {
                    return found;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new IllegalStateException("not in the log: " + pattern);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
