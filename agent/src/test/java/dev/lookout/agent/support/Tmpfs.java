package dev.lookout.agent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small tmpfs mounted on a folder, for a disk that really fills up. Mounting needs root: anywhere
 * else the test is skipped, loudly, unless CI is set, where it fails.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mount;

    private Tmpfs(Path mount) {
        this.mount = mount;
    }

    /** Mounts a tmpfs with {@code options} (e.g. {@code size=64k}) on {@code dir}, created if missing. */
    public static Tmpfs mount(Path dir, String options) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            String why = "SKIPPED: a full disk is a small tmpfs, and mounting one needs root";
            System.err.println("*** " + why + " ***");
            assumeTrue(System.getenv("CI") != null, why);
        }
        Files.createDirectories(dir);
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()), "mount " + dir);
        return new Tmpfs(dir);
    }

    public Path path() {
        return mount;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        assertEquals(0, run("umount", "-l", mount.toString()), "umount " + mount);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
