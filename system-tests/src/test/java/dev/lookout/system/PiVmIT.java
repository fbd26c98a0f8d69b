package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.Rig;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on an emulated Raspberry Pi: Debian 12 arm64 under {@code qemu-system-aarch64 -M virt
 * -cpu cortex-a72} (TCG), booting Debian's arm64 kernel, with two V4L2 cameras, vivid (raw frames)
 * and a v4l2loopback camera fed MJPEG whose buffers carry 1 MB of padding after each JPEG. The
 * agent is installed from its .deb with apt and run by its unit; it delivers to the real receiver
 * on this machine's loopback, the guest's only way out (qemu user networking, {@code restrict=on},
 * one {@code guestfwd}). The guest runs src/test/sh/pi-guest.sh from a 9p share and writes one
 * result line per check there; each check is a test here. src/test/sh/pi-images.sh makes the
 * kernel, initramfs and root images once a month (kept in /var/cache/lookout-test). A Debian 13
 * guest (Java 21) installs the .deb and starts the unit too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PiVmIT {
    /** The whole guest run, boot to power-off, at most. */
    private static final int GUEST_MINUTES = 12;
    /** The MJPEG camera's padding after each JPEG, as a UVC buffer has. */
    private static final int PADDING = 1 << 20;

    @TempDir
    static Path work;
    private Path images;
    private Path key;
    private final Map<String, String> results = new HashMap<>();
    private Path share;
    private Path stored;
    private Process receiver;
    private List<byte[]> mjpegFrames;

    @BeforeAll
    void bootTheBookwormPi() throws Exception {
        boolean ready = Sh.root();
        for (String command : List.of("qemu-system-aarch64", "qemu-img", "qemu-aarch64-static", "debootstrap", "mkfs.ext4",
                "busybox", "socat", "systemd-socket-activate", "ffmpeg")) {
            ready &= Sh.has(command);
        }
        if (!ready) {
            String why = "SKIPPED: PiVmIT needs root, qemu-system-arm, qemu-user-static, qemu-utils, debootstrap, e2fsprogs, "
                    + "busybox-static, socat, systemd and ffmpeg";
            System.err.println("*** " + why + " ***");
            Assumptions.assumeTrue(System.getenv("CI") != null, why);
        }
        long start = System.nanoTime();
        Sh.Result made = Sh.run(List.of("sh", Sh.REPO.resolve("system-tests/src/test/sh/pi-images.sh").toString(),
                Files.createDirectories(work.resolve("images")).toString()), null);
        System.out.println(made.out());
        assertEquals(0, made.code(), made.out());
        images = Path.of(made.out().lines().reduce((a, b) -> b).orElseThrow().replaceFirst("^images: ", ""));
        System.out.printf("PiVmIT: images ready in %.0f s (%s)%n", seconds(start), images);
        key = work.resolve("camera.key");
        PresharedKey.generate(key);
        stored = Files.createDirectories(work.resolve("stored"));
        int port = Rig.freePort();
        receiver = Rig.activatedReceiver(port, stored, key);

        share = guestShare("bookworm");
        mjpegFrames = mjpegCamera(share.resolve("mjpeg"));
        Files.copy(Sh.REPO.resolve("system-tests/src/test/sh/pi-guest.sh"), share.resolve("run.sh"));
        boot("bookworm", share, port);
        results.putAll(results(share));
    }

    @AfterAll
    void stopTheReceiver() throws InterruptedException {
        if (receiver != null) {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void debInstallsWithApt() {
        check("install");
    }

    @Test
    void rawCameraRunsUnderTheUnitAsLookoutWithGroupVideo() {
        check("raw-source");
        check("unit-user");
    }

    @Test
    void rawCameraDeliversStillsByteExact() throws IOException {
        check("raw-delivery");
        byte[] reference = Files.readAllBytes(share.resolve("raw-reference.jpg"));
        List<Path> stills = Rig.stored(stored.resolve("pi-raw"));
        assertFalse(stills.isEmpty(), "no still of pi-raw on the receiver");
        long exact = 0;
        for (Path still : stills) {
            if (Arrays.equals(reference, Rig.withoutExif(Files.readAllBytes(still)))) {
                exact++;
            }
        }
        // the scene is still (no clock overlay) until the movement starts: those stills are ffmpeg's frame
        assertTrue(exact >= 1, "none of the " + stills.size() + " stills of vivid's still scene is ffmpeg's own JPEG of it");
        System.out.printf("PiVmIT: pi-raw: %d stills on the receiver, %d byte-identical (minus Exif) to ffmpeg's%n",
                stills.size(), exact);
    }

    @Test
    void movementMakesEvents() {
        check("movement");
    }

    @Test
    void unplugIsLostAndReplugComesBack() {
        check("unplug-lost");
        check("replug");
    }

    @Test
    void noSnapshotWhileUnplugged() {
        check("unplug-no-snapshot");
    }

    @Test
    void mjpegCameraWithPaddedBuffersDeliversItsOwnJpegs() throws IOException {
        check("mjpeg-delivery");
        List<Path> stills = Rig.stored(stored.resolve("pi-mjpeg"));
        assertFalse(stills.isEmpty(), "no still of pi-mjpeg on the receiver");
        for (Path still : stills) {
            byte[] jpeg = Rig.withoutExif(Files.readAllBytes(still));
            assertTrue(mjpegFrames.stream().anyMatch(frame -> Arrays.equals(frame, jpeg)),
                    still + " (" + jpeg.length + " bytes without Exif) is not one of the camera's JPEGs, padding cut off");
        }
        System.out.printf("PiVmIT: pi-mjpeg: %d stills, each one of the camera's JPEGs%n", stills.size());
    }

    @Test
    void silentCameraIsLostAndReopened() {
        check("stall-lost");
        check("stall-reopen");
        check("stall-journal");
    }

    @Test
    void noSnapshotWhileSilent() {
        check("stall-no-snapshot");
    }

    @Test
    void devicesListsWhatCanBeCaptured() {
        check("devices");
        check("devices-tmp");
    }

    @Test
    void devicesWithoutGroupVideoExits77() {
        check("devices-denied");
    }

    @Test
    void journalHasNoError() {
        check("journal");
    }

    @Test
    void debian13InstallsTheDebAndStartsTheUnit() throws Exception {
        Path trixie = guestShare("trixie");
        Files.copy(Sh.REPO.resolve("system-tests/src/test/sh/pi-guest.sh"), trixie.resolve("pi-guest.sh"));
        Files.writeString(trixie.resolve("run.sh"), "exec sh /share/pi-guest.sh debian13\n");
        boot("trixie", trixie, Rig.freePort());
        Map<String, String> trixieResults = results(trixie);
        for (String name : List.of("install", "unit")) {
            String line = trixieResults.get(name);
            assertNotNull(line, "Debian 13: " + name + " not reached; guest log:\n" + Rig.read(trixie.resolve("guest.log")));
            assertTrue(line.startsWith("ok "), "Debian 13: " + line);
        }
    }

    /** A folder for the guest's 9p share with the agent's package and the receiver's key. */
    private Path guestShare(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name + "-share"));
        try (var debs = Files.list(Sh.REPO.resolve("agent/target"))) {
            Path deb = debs.filter(p -> p.getFileName().toString().matches("lookout-agent_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no lookout-agent_*_all.deb in agent/target"));
            Files.copy(deb, dir.resolve(deb.getFileName()));
        }
        Files.copy(key, dir.resolve("camera.key"));
        return dir;
    }

    /**
     * The MJPEG camera's buffers: five JPEGs (1280x720, ffmpeg's testsrc2), each file followed by
     * {@value #PADDING} zero bytes; returns the JPEGs without padding.
     */
    private List<byte[]> mjpegCamera(Path dir) throws IOException, InterruptedException {
        Path plain = Files.createDirectories(work.resolve("mjpeg"));
        Sh.run("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=5:duration=1",
                "-q:v", "4", plain.resolve("f%02d.jpg").toString()).expect(0);
        Files.createDirectories(dir);
        List<byte[]> frames = new java.util.ArrayList<>();
        try (var files = Files.list(plain)) {
            for (Path frame : files.sorted().toList()) {
                byte[] jpeg = Files.readAllBytes(frame);
                frames.add(jpeg);
                Files.write(dir.resolve(frame.getFileName()), Arrays.copyOf(jpeg, jpeg.length + PADDING));
            }
        }
        return frames;
    }

    /** Boots an image (a copy-on-write overlay of it) until the guest powers off, printing the timings. */
    private void boot(String image, Path share, int port) throws IOException, InterruptedException {
        Path disk = work.resolve(image + ".qcow2");
        Sh.run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", images.resolve(image + ".img").toString(),
                disk.toString()).expect(0);
        Path console = work.resolve(image + "-console.log");
        List<String> qemu = List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "2048",
                "-accel", "tcg", "-display", "none", "-monitor", "none", "-no-reboot", "-serial", "file:" + console,
                "-kernel", images.resolve("vmlinuz").toString(), "-initrd", images.resolve("initrd.img").toString(),
                "-append", "console=ttyAMA0 panic=-1 quiet",
                "-drive", "if=none,id=disk,format=qcow2,file=" + disk, "-device", "virtio-blk-pci,drive=disk",
                "-netdev", "user,id=net,restrict=on,guestfwd=tcp:10.0.2.100:4444-cmd:socat - TCP:127.0.0.1:" + port,
                "-device", "virtio-net-pci,netdev=net,romfile=", "-device", "virtio-rng-pci",
                "-virtfs", "local,path=" + share + ",mount_tag=share,security_model=none");
        long start = System.nanoTime();
        Process vm = new ProcessBuilder(qemu).redirectErrorStream(true).redirectOutput(work.resolve(image + "-qemu.log").toFile())
                .start();
        boolean ended = vm.waitFor(GUEST_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            vm.destroyForcibly().waitFor();
        }
        System.out.println("--- " + image + " guest:\n" + Rig.read(share.resolve("guest.log")));
        System.out.printf("PiVmIT: %s guest ran %.0f s, boot to power-off; %s%n", image, seconds(start),
                Rig.read(share.resolve("timings")).strip().replace('\n', ';'));
        if (!ended) {
            // the checks it did not reach fail each on their own, with the guest's log
            System.out.println("PiVmIT: " + image + " guest stopped after " + GUEST_MINUTES + " minutes; console:\n"
                    + tail(Rig.read(console)));
        }
        assertTrue(Files.exists(share.resolve("results")), image + " guest never ran its script; console:\n"
                + tail(Rig.read(console)) + "\nqemu: " + Rig.read(work.resolve(image + "-qemu.log")));
    }

    /** The guest's result lines by check name. */
    private static Map<String, String> results(Path share) throws IOException {
        Map<String, String> byName = new HashMap<>();
        for (String line : Files.readAllLines(share.resolve("results"))) {
            String[] parts = line.split(" ", 3);
            if (parts.length >= 2) {
                byName.put(parts[1], line);
            }
        }
        return byName;
    }

    /** One check of the guest: passed ("ok NAME …"). */
    private void check(String name) {
        String line = results.get(name);
        assertNotNull(line, name + ": not reached; guest log:\n" + tail(Rig.read(share.resolve("guest.log"))));
        assertTrue(line.startsWith("ok "), line);
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
