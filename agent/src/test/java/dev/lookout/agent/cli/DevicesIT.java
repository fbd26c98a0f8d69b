package dev.lookout.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lookout.agent.support.Rig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 'lookout-agent devices' run by an unprivileged user (nobody) with the launcher's JVM flags, in a
 * mount namespace whose /dev is a fresh tmpfs: with no camera, and with a /dev/video0 it may not
 * open. Making that /dev needs root: anywhere else the test is skipped, loudly, unless CI is set.
 */
class DevicesIT {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result devices(String makeDevices) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            String why = "SKIPPED: a /dev of its own needs root";
            System.err.println("*** " + why + " ***");
            assumeTrue(System.getenv("CI") != null, why);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path hostDev = Files.createDirectory(dir.resolve("host-dev"));
        String script = "set -e; mount --bind /dev " + hostDev + "; mount -t tmpfs none /dev;"
                + " for n in null zero random urandom; do touch /dev/$n; mount --bind " + hostDev + "/$n /dev/$n; done; "
                + makeDevices + "; exec setpriv --reuid=65534 --regid=65534 --clear-groups " + Rig.java()
                + " -XX:+UseSerialGC -XX:-UsePerfData -Djava.io.tmpdir=" + tmp + " -jar " + Rig.AGENT + " devices";
        Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", script).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of(), Files.list(tmp).toList(), "nothing left in the temporary folder");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no camera", "a camera this user may not open"})
    void listsOnlyWhatItCanAndSaysHowToGetAccess(String setting) throws Exception {
        boolean camera = setting.startsWith("a camera");
        Result result = devices(camera ? "touch /dev/video0; chmod 600 /dev/video0" : "true");
        if (camera) {
            assertEquals(77, result.code(), result.toString());
            assertEquals("Error: cannot open /dev/video0: permission denied. Add this user to group 'video'"
                    + " (sudo usermod -aG video $USER), then log in again.\n", result.err());
        } else {
            assertEquals(0, result.code(), result.toString());
            assertTrue(result.err().startsWith("No V4L2 camera found (/dev/video*)."), result.toString());
        }
        assertEquals("", result.out());
        assertFalse((result.out() + result.err()).contains("BridJ"), result.toString());
    }
}
