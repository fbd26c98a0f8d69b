package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.support.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which archive the launcher makes and runs with, by the JDK's version: an AOT cache from 25.0.4 on,
 * a dynamic CDS archive before (25.0.3 runs an AOT cache left stale by a new jar, JDK-8377932).
 * The JDKs here are stand-ins: a release file and a {@code bin/java} that notes its arguments and
 * creates the archive it is asked to dump (no JDK 25.0.4 or 26 is installed to test with); a real
 * JDK's start with each archive is what the other launcher tests run.
 */
class LauncherArchiveIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"'\"25.0.4\"', aot", "'\"25.0.10\"', aot", "'\"25.1.0\"', aot", "'\"26\"', aot", "'\"27-ea\"', aot",
            "'\"25.0.3\"', cds", "'\"25\"', cds", "'\"17.0.15\"', cds", "'\"21.0.9\"', cds", "'\"1.8.0_412\"', cds"})
    void theJdksVersionPicksTheArchiveAndASecondStartReusesIt(String version, String kind) throws Exception {
        Path jdk = jdk("JAVA_VERSION=" + version);
        Path cache = dir.resolve("cache");
        assertEquals(0, launch(jdk, cache));
        List<String> calls = Files.readAllLines(jdk.resolve("calls"));
        assertEquals(2, calls.size(), calls::toString);
        Path archive = cache.resolve("lookout-receiver" + jdk.toRealPath().toString().replace('/', '_') + "-" + kind + ".jsa");
        assertTrue(Files.isRegularFile(archive), () -> "no " + archive);
        if (kind.equals("aot")) {
            assertTrue(calls.get(0).contains("-XX:+UseSerialGC -XX:-UsePerfData"), "trained with the flags it runs with");
            assertTrue(calls.get(0).contains("-XX:AOTCacheOutput=" + cache + "/.lookout-receiver."), calls.get(0));
            assertTrue(calls.get(1).contains("-XX:AOTCache=" + archive + " -jar "), calls.get(1));
        } else {
            assertTrue(calls.get(0).contains("-XX:ArchiveClassesAtExit=" + cache + "/.lookout-receiver."), calls.get(0));
            assertTrue(calls.get(1).contains("-XX:SharedArchiveFile=" + archive + " -Xshare:auto -jar "), calls.get(1));
        }
        assertTrue(calls.get(0).endsWith("dev.lookout.receiver.training.CdsTraining"), calls.get(0));

        assertEquals(0, launch(jdk, cache));
        List<String> again = Files.readAllLines(jdk.resolve("calls"));
        assertEquals(3, again.size(), "no second training: " + again);
        assertEquals(calls.get(1), again.get(2));
    }

    @Test
    void aJdkWithoutAReleaseFileGetsTheCdsArchive() throws Exception {
        Path jdk = jdk(null);
        assertEquals(0, launch(jdk, dir.resolve("cache")));
        List<String> calls = Files.readAllLines(jdk.resolve("calls"));
        assertTrue(calls.get(1).contains("-XX:SharedArchiveFile="), calls::toString);
    }

    /** A stand-in JDK folder whose release file holds {@code release} (none when null). */
    private Path jdk(String release) throws Exception {
        Path jdk = Files.createTempDirectory(dir, "jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.createDirectories(jdk.resolve("lib"));
        Files.write(jdk.resolve("lib/modules"), new byte[0]);
        Files.setLastModifiedTime(jdk.resolve("lib/modules"), Files.getLastModifiedTime(Program.JAR));
        if (release != null) {
            Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\n" + release + "\nJAVA_VERSION_DATE=\"2026-07-21\"\n");
        }
        Path java = Files.writeString(jdk.resolve("bin/java"), """
                #!/bin/sh
                echo "$*" >>"${0%/bin/java}/calls"
                for arg; do
                    case $arg in
                        -XX:AOTCacheOutput=* | -XX:ArchiveClassesAtExit=*) : >"${arg#*=}" ;;
                    esac
                done
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private int launch(Path jdk, Path cache) throws Exception {
        try (Program launcher = Program.start(List.of(Program.LAUNCHER.toString(), "--help"),
                Map.of("JAVA", jdk.resolve("bin/java").toString(), "LOOKOUT_CDS_DIR", cache.toString()),
                java.lang.ProcessBuilder.Redirect.PIPE)) {
            return launcher.awaitExit(WAIT);
        }
    }
}
