package dev.lookout.bench;

import dev.lookout.agent.send.Drainer;
import dev.lookout.agent.send.Sender;
import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.Address;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Draining a backlog: 1,000 spooled stills sent by the agent's own spool and sender through
 * {@code systemd-socket-activate --accept --inetd} (as {@code Accept=yes}) in batches of 100, and
 * 200 one per connection, to Lookout and to the seed's Python receiver, in one run. Beside the
 * rates: the CPU time the agent's side (this thread) spends per still, spooling it and from the
 * spool to the receiver's {@code OK}.
 * {@code bench/run drain}.
 */
public final class DrainBench {
    private static final int STILLS = 1000;
    /** One still per connection is slow: a fifth of the backlog gives the same rate in a fifth of the time. */
    private static final int ONE_BY_ONE = 200;

    private DrainBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Scratch.directory("lookout-drain");
        byte[] jpeg = ReceiverBench.jpeg();
        Path key = work.resolve("key");
        PresharedKey.generate(key);
        ImageCipher cipher = new ImageCipher(PresharedKey.read(key));
        Path config = Files.writeString(work.resolve("receiver.properties"),
                "dir=" + work.resolve("images") + "\nkey-file=" + key + "\nmin-free=0\n");
        String launcher = Path.of("receiver/target/lookout-receiver").toAbsolutePath().toString();
        Path py = Files.createDirectories(work.resolve("py"));
        System.out.printf("Stills of %d bytes each%n%n", jpeg.length);
        System.out.println("| receiver, started per connection | stills per connection | stills | seconds | stills/s"
                + " | agent CPU µs/still: spooling | agent CPU µs/still: spool to ack |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<String> lookout = List.of(launcher, "--config", config.toString());
        run(work, "Lookout (launcher, encrypted)", lookout, cipher, 100, STILLS, jpeg);
        run(work, "Lookout (launcher, encrypted)", lookout, cipher, 1, ONE_BY_ONE, jpeg);
        run(work, "Python (seed receiver)", List.of(ReceiverBench.python(), ReceiverBench.script(work).toString(),
                py.toString()), null, 1, ONE_BY_ONE, jpeg);
    }

    private static void run(Path work, String name, List<String> command, ImageCipher cipher, int batch, int stills,
                            byte[] jpeg) throws Exception {
        Path spoolDir = Files.createTempDirectory(work, "spool");
        Spool spool = new Spool(spoolDir, Long.MAX_VALUE, Integer.MAX_VALUE);
        long t0 = System.currentTimeMillis();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long spoolingCpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < stills; i++) {
            spool.add(Upload.of("bench", t0 + i, false, jpeg));
        }
        spoolingCpu = threads.getCurrentThreadCpuTime() - spoolingCpu;
        try (ReceiverBench.Activator activator = ReceiverBench.Activator.start(work, List.of("--accept", "--inetd"),
                List.of(), command)) {
            Sender sender = new Sender(Address.parse("127.0.0.1:" + activator.port()), cipher, Duration.ofSeconds(30));
            long start = System.nanoTime();
            long drainCpu = threads.getCurrentThreadCpuTime();
            Drainer.Result result = new Drainer(spool, sender, batch, (entry, path, millis) -> { }).drain();
            double seconds = (System.nanoTime() - start) / 1e9;
            drainCpu = threads.getCurrentThreadCpuTime() - drainCpu;
            if (result.problem() != null || result.delivered() != stills) {
                throw new IllegalStateException(name + ": " + result);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | **%.0f** | %.0f | **%.0f** |%n", name, batch, stills, seconds,
                    stills / seconds, spoolingCpu / 1e3 / stills, drainCpu / 1e3 / stills);
        }
    }
}
