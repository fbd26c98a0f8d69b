package dev.lookout.agent.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.PresharedKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What 'lookout-agent setup' does to files: settings edited in place, the key installed for the agent's group. */
class SetupTest {
    private static final Path EXAMPLE = Path.of("../config/agent.properties");

    @TempDir
    Path dir;

    private static Map<String, String> values(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void setsTheGivenKeysAndKeepsEveryOtherLine() throws Exception {
        String example = Files.readString(EXAMPLE);
        String edited = SettingsFile.edit(example + "fps=2\n", values("to", "laptop:4444", "camera", "porch", "fps", "3",
                "timeout", "20", "overlay", "true", "spool-max-files", "7"));
        assertTrue(edited.lines().anyMatch("to=laptop:4444"::equals), edited);
        assertTrue(edited.lines().anyMatch("camera=porch"::equals), edited);
        assertTrue(edited.lines().anyMatch("timeout=20"::equals), "a commented-out key is set where it is documented");
        assertEquals(1, edited.lines().filter(l -> l.startsWith("fps=")).count(), "the set line, not the comment, changes");
        assertTrue(edited.lines().anyMatch("#fps=5"::equals), edited);
        assertEquals(example.lines().count() + 1, edited.lines().count(), "no line added or lost");
        assertEquals(edited, SettingsFile.edit(edited, values("to", "laptop:4444", "camera", "porch")), "again: no change");
        assertEquals("a=1\nsource=file:/x\n", SettingsFile.edit("a=1\n", values("source", "file:/x")), "a new key goes last");
    }

    @Test
    void updateRewritesOnlyWhenAValueChangesAndKeepsTheMode() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "# mine\nto=old:1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(Setup.settings(file, values("to", "new:2")));
        assertEquals("# mine\nto=new:2\n", Files.readString(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertFalse(Setup.settings(file, values("to", "new:2")));
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis());
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary left");
        }
    }

    @Test
    void installsTheKeyForTheGroupAndSaysWhenItIsNew() throws Exception {
        String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        Path first = dir.resolve("first.key");
        Path second = dir.resolve("second.key");
        PresharedKey.generate(first);
        PresharedKey.generate(second);
        Path installed = dir.resolve("etc/agent.key");
        assertTrue(Setup.key(first, installed, group));
        assertTrue(Arrays.equals(PresharedKey.read(first), PresharedKey.read(installed)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)));
        assertEquals(group, Files.readAttributes(installed, PosixFileAttributes.class).group().getName());
        assertFalse(Setup.key(first, installed, group), "the same key again: nothing to restart");
        assertTrue(Setup.key(second, installed, group), "another key replaces it");
        assertTrue(Arrays.equals(PresharedKey.read(second), PresharedKey.read(installed)));
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(Setup.key(second, installed, group), "a wrong mode is put right");
        Path junk = dir.resolve("junk.key");
        Files.writeString(junk, "not a key\n", StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> Setup.key(junk, installed, group));
        assertTrue(Arrays.equals(PresharedKey.read(second), PresharedKey.read(installed)), "a bad key changes nothing");
    }
}
