package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.ReceiverProcess;
import dev.lookout.agent.support.Rig;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running agent's control socket, through 'lookout-agent ctl' and through socat. */
class ControlIT {
    private static final Path AGENT = Rig.AGENT;

    @TempDir
    Path dir;

    private record Result(int code, String out) {
    }

    private Result ctl(Path socket, String command) throws Exception {
        Process p = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "ctl", "--control", socket.toString(), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    /**
     * A camera that accepts and sends nothing (a webcam starting, a stalled IP camera): a snapshot
     * asked for meanwhile is "unavailable" (exit 69, which the snapshot unit counts as no failure),
     * not a wrong command (64), which would leave a failed unit behind each timer tick.
     */
    @Test
    void aSnapshotBeforeTheCamerasFirstPictureIsUnavailableNotWrong() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path socket = dir.resolve("control.sock");
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Process agent = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "run", "--source",
                    "url:http://127.0.0.1:" + silent.getLocalPort() + "/", "--camera", "door", "--to", "127.0.0.1:" + Rig.freePort(),
                    "--key-file", key.toString(), "--spool", dir.resolve("spool").toString(), "--control", socket.toString(),
                    "--clock-wait", "0").redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            try {
                Rig.await(() -> Rig.read(dir.resolve("agent.log")).contains("watching url:"), 60);
                Result snapshot = ctl(socket, "snapshot");
                assertEquals(69, snapshot.code(), snapshot.out());
                assertTrue(snapshot.out().startsWith("ERR no frame: the camera has given no picture yet"), snapshot.out());
                assertEquals(new Result(64, "ERR unknown command 'shoot' (status, snapshot, arm, disarm, flush)"),
                        ctl(socket, "shoot"));
            } finally {
                agent.destroy();
                assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void statusArmingSnapshotsAndErrors() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path socket = dir.resolve("run/control.sock");
        Process agent = null;
        try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0)) {
            int port = receiver.port();
            agent = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "run", "--source", "synthetic", "--fps", "5",
                    "--camera", "door", "--to", "127.0.0.1:" + port, "--key-file", key.toString(), "--spool",
                    dir.resolve("spool").toString(), "--control", socket.toString(), "--clock-wait", "0")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            Rig.await(() -> Files.exists(socket), 60);
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(socket)));

            Result status = ctl(socket, "status");
            assertEquals(0, status.code(), status.out());
            assertTrue(status.out().startsWith("camera: door (synthetic, 5.0 fps)\narmed: yes\n"), status.out());
            assertEquals(new Result(0, "OK disarmed"), ctl(socket, "disarm"));
            assertTrue(ctl(socket, "status").out().contains("armed: no"));
            assertEquals(new Result(0, "OK armed"), ctl(socket, "arm"));

            assertEquals(new Result(0, "OK snapshot taken"), ctl(socket, "snapshot"));
            // stored at the receiver, and its OK back at the agent
            Rig.await(() -> Rig.stored(images).size() >= 1 && delivered(socket), 60);

            Process socat = new ProcessBuilder("socat", "-", "UNIX-CONNECT:" + socket).start();
            socat.getOutputStream().write("status\n".getBytes(StandardCharsets.UTF_8));
            socat.getOutputStream().close();
            String viaSocat = new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, socat.waitFor());
            assertTrue(viaSocat.contains("last delivery: door/"), viaSocat);

            Result bogus = ctl(socket, "reboot");
            assertEquals(64, bogus.code());
            assertEquals("ERR unknown command 'reboot' (status, snapshot, arm, disarm, flush)", bogus.out());

            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.notExists(socket), "the socket is removed on shutdown");
            Result gone = ctl(socket, "status");
            assertEquals(69, gone.code());
        } finally {
            if (agent != null) {
                agent.destroyForcibly();
            }
        }
    }

    /** A source the agent cannot read (a folder it may not see) is in the status, not only in the log. */
    @Test
    void theStatusSaysWhyTheSourceDeliversNothing() throws Exception {
        Path socket = dir.resolve("c.sock");
        Path missing = dir.resolve("hidden/clip");
        Process agent = Rig.agent(dir.resolve("agent.log"), "run", "--source", "file:" + missing, "--camera", "door",
                "--to", "127.0.0.1:9", "--spool", dir.resolve("spool").toString(), "--control", socket.toString(),
                "--clock-wait", "0");
        try {
            Rig.await(() -> Files.exists(socket) && Rig.read(dir.resolve("agent.log")).contains("lost"), 60);
            Result status = ctl(socket, "status");
            assertEquals(0, status.code(), status.out());
            assertTrue(status.out().contains("\nsource: lost: cannot read " + missing + " (retrying)\n"), status.out());
        } finally {
            agent.destroyForcibly();
        }
    }

    /**
     * A camera that gives frames and then goes silent, its stream left open: after --stall-timeout
     * the capture is restarted (again and again while it stays silent) with one warning, the status
     * says it is lost, a snapshot is refused (69) and the snapshot schedule adds nothing to the
     * spool; once it gives frames again it is back and a snapshot is taken.
     */
    @Test
    void aCameraThatGoesSilentIsRestartedReportedLostAndNeverSnappedStale() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path socket = dir.resolve("c.sock");
        Path log = dir.resolve("agent.log");
        Path opens = dir.resolve("opens");
        Path sending = Files.createFile(dir.resolve("sending"));
        java.awt.image.BufferedImage frame = dev.lookout.agent.capture.SyntheticScene.builder(640, 480).frames(1).noise(0)
                .build().next().image();
        for (int i = 0; i < 3; i++) {
            javax.imageio.ImageIO.write(frame, "jpeg", dir.resolve("f" + i + ".jpg").toFile());
        }
        String camera = "echo >> " + opens + "; if [ -e " + sending + " ]; then cat " + dir + "/f*.jpg; fi; exec sleep 600";
        Process agent = Rig.agent(log, "run", "--source", "exec:" + camera, "--camera", "door", "--to",
                "127.0.0.1:" + Rig.freePort(), "--key-file", key.toString(), "--spool", dir.resolve("spool").toString(),
                "--control", socket.toString(), "--clock-wait", "0", "--stall-timeout", "2",
                "--snapshot-cron", "* * * * * ?");
        try {
            Rig.await(() -> Files.exists(socket) && ctlQuietly(socket, "status").contains("\nsource: ok\n"), 60);
            Files.delete(sending);
            Rig.await(() -> ctlQuietly(socket, "status").contains("\nsource: lost: no frame for 2 s (retrying)\n"), 30);
            Result snapshot = ctl(socket, "snapshot");
            assertEquals(69, snapshot.code(), snapshot.out());
            assertTrue(snapshot.out().startsWith("ERR no frame: "), snapshot.out());
            String spooled = spoolLine(ctl(socket, "status").out());
            long restarts = Files.readAllLines(opens).size();
            Rig.await(() -> Rig.read(opens).lines().count() >= restarts + 2, 30);
            assertEquals(spooled, spoolLine(ctl(socket, "status").out()), "no snapshot while lost");
            assertEquals(1, Rig.read(log).lines().filter(line -> line.contains("gave no frame for 2 s; restarting capture"))
                    .count(), Rig.read(log));
            Files.createFile(sending);
            Rig.await(() -> ctlQuietly(socket, "status").contains("\nsource: ok\n"), 60);
            assertEquals(new Result(0, "OK snapshot taken"), ctl(socket, "snapshot"));
            assertTrue(Rig.read(log).contains("source exec:" + camera + " is back"), Rig.read(log));
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private String ctlQuietly(Path socket, String command) {
        try {
            return ctl(socket, command).out();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String spoolLine(String status) {
        return status.lines().filter(line -> line.startsWith("spool: ")).findFirst().orElse(status);
    }

    /** A still scene played from a folder (no motion, ever): only the cron schedule makes stills. */
    @Test
    void aSnapshotScheduleSendsStillsWithoutMotion() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path stills = Files.createDirectories(dir.resolve("stills"));
        java.awt.image.BufferedImage frame = dev.lookout.agent.capture.SyntheticScene.builder(160, 120).frames(1).noise(0)
                .build().next().image();
        for (int i = 0; i < 5; i++) {
            javax.imageio.ImageIO.write(frame, "jpeg", stills.resolve("still-" + i + ".jpg").toFile());
        }
        try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0)) {
            Process agent = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "run", "--source", "file:" + stills,
                    "--fps", "5", "--camera", "gate", "--to", "127.0.0.1:" + receiver.port(), "--key-file", key.toString(),
                    "--spool", dir.resolve("spool").toString(), "--control", dir.resolve("c.sock").toString(),
                    "--clock-wait", "0", "--snapshot-cron", "*/2 * * * * ?", "--duration", "9")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, agent.exitValue(), Files.readString(dir.resolve("agent.log")));
            long stored = Rig.stored(images).size();
            assertTrue(stored >= 3 && stored <= 5, stored + " stills; log: " + Files.readString(dir.resolve("agent.log")));
            assertTrue(!Files.readString(dir.resolve("agent.log")).contains("motion started"));
        }
    }

    /**
     * A window that never opens: a whole visit of the demo scene goes by undetected; 'ctl arm'
     * overrides it, and the next visitor is delivered.
     */
    @Test
    void outsideTheArmingWindowNothingIsDetectedUntilArmedByHand() throws Exception {
        Path key = dir.resolve("key");
        PresharedKey.generate(key);
        Path images = dir.resolve("images");
        Path socket = dir.resolve("c.sock");
        try (ReceiverProcess receiver = ReceiverProcess.start(images, key, "0", 0)) {
            String[] run = {"run", "--source", "synthetic", "--fps", "20", "--camera", "door", "--to",
                "127.0.0.1:" + receiver.port(), "--key-file", key.toString(), "--spool", dir.resolve("spool").toString(),
                "--control", socket.toString(), "--clock-wait", "0", "--armed-cron", "* * * * * ? 2099"};
            // the demo's first visitor enters at frame 60 (3 s) and is gone by frame 125
            Process disarmed = Rig.agent(dir.resolve("disarmed.log"), concat(run, "--duration", "8"));
            assertTrue(disarmed.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(dir.resolve("disarmed.log"));
            assertEquals(0, disarmed.exitValue(), log);
            assertTrue(log.contains("armed: no (outside the arming window)"), log);
            assertTrue(!log.contains("motion started"), log);
            assertEquals(0, Rig.stored(images).size());

            Process agent = Rig.agent(dir.resolve("armed.log"), run);
            try {
                Rig.await(() -> Files.exists(socket), 60);
                assertTrue(ctl(socket, "status").out().contains("armed: no (outside the arming window)"));
                assertEquals(new Result(0, "OK armed until the arming window next opens or closes"), ctl(socket, "arm"));
                assertTrue(ctl(socket, "status").out().contains("armed: yes (by the control socket until the window opens)"));
                Rig.await(() -> Rig.stored(images).size() >= 1, 60);
                assertTrue(Rig.read(dir.resolve("armed.log")).contains("motion started"));
            } finally {
                agent.destroy();
                assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    private static String[] concat(String[] args, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    @Test
    void aBadScheduleIsAUsageError() throws Exception {
        Process agent = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "run", "--source", "synthetic", "--to",
                "127.0.0.1:9", "--snapshot-cron", "hourly", "--control", dir.resolve("c.sock").toString())
                .redirectErrorStream(true).start();
        String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(64, agent.exitValue(), out);
        assertTrue(out.startsWith("Error: 'hourly' is not a Quartz cron expression"), out);
        Process retries = new ProcessBuilder(Rig.java(), "-jar", AGENT.toString(), "run", "--source", "synthetic", "--to",
                "127.0.0.1:9", "--retry-min", "10", "--retry-max", "5", "--control", dir.resolve("c.sock").toString())
                .redirectErrorStream(true).start();
        String said = new String(retries.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(retries.waitFor(60, TimeUnit.SECONDS));
        assertEquals(64, retries.exitValue(), said);
        assertEquals("Error: --retry-min must be at least 1 and at most --retry-max", said);
    }

    private static boolean delivered(Path socket) {
        try {
            return dev.lookout.agent.control.CtlClient.ask(socket, "status").contains("last delivery: door/");
        } catch (IOException e) {
            return false;
        }
    }
}
