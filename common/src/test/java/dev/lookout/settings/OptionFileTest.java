package dev.lookout.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionFileTest {
    private static final OptionFile FILE = new OptionFile("config file", "dir, key-file");
    private static final Set<String> KEYS = Set.of("dir", "key-file", "max-bytes");

    @TempDir
    Path dir;

    @Test
    void readsTheNamedFileBeforeTheDefault() throws Exception {
        Path named = Files.writeString(dir.resolve("named.properties"), "dir = /srv/images\n# key-file=x\n");
        Path fallback = Files.writeString(dir.resolve("default.properties"), "max-bytes=1MiB\n");

        Properties values = FILE.load(named, fallback, KEYS);

        assertEquals(Set.of("dir"), values.stringPropertyNames());
        assertEquals("/srv/images", values.getProperty("dir"));
        assertEquals("1MiB", FILE.load(null, fallback, KEYS).getProperty("max-bytes"));
    }

    @Test
    void anAbsentDefaultFileSetsNothingButAMissingNamedOneIsAnError() throws Exception {
        Path none = dir.resolve("none.properties");
        assertTrue(FILE.load(null, none, KEYS).isEmpty());

        Failure e = assertThrows(Failure.class, () -> FILE.load(none, dir.resolve("default.properties"), KEYS));

        assertEquals(Sysexit.CONFIG, e.status());
        assertEquals("config file " + none + " does not exist", e.getMessage());
    }

    @Test
    void unknownKeysAreAnErrorThatNamesThemAll() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "max_bytes=1\ndir=/x\nkeyfile=k\n");

        Failure e = assertThrows(Failure.class, () -> FILE.load(null, typo, KEYS));

        assertEquals(Sysexit.CONFIG, e.status());
        assertEquals("config file " + typo + " has unknown keys [keyfile, max_bytes]; keys are the long option"
                + " names without dashes, e.g. dir, key-file", e.getMessage());
    }

    @Test
    void aMalformedOrUnreadableFileIsAnErrorOfOneLine() throws Exception {
        Path malformed = Files.writeString(dir.resolve("bad.properties"), "dir=\\uZZZZ\n");
        Failure bad = assertThrows(Failure.class, () -> FILE.load(malformed, null, KEYS));
        assertEquals(Sysexit.CONFIG, bad.status());
        assertTrue(bad.getMessage().startsWith("cannot read config file " + malformed + ": "), bad.getMessage());

        Failure folder = assertThrows(Failure.class, () -> FILE.load(dir, null, KEYS));
        assertTrue(folder.getMessage().startsWith("cannot read config file " + dir + ": "), folder.getMessage());
        assertEquals(1, folder.getMessage().lines().count());
    }
}
