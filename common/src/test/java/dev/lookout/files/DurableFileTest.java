package dev.lookout.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {
    private static final byte[] OLD = "old=1\nmore=2\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new=1\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void replaceLeavesTheNewContentWithTheModeAndGroupAndNoTemporary() throws Exception {
        Path file = dir.resolve("etc/agent.properties");
        DurableFile.replace(file, OLD, "rw-r--r--", null);
        GroupPrincipal group = Files.readAttributes(dir, PosixFileAttributes.class).group();

        DurableFile.replace(file, NEW, "rw-r-----", group);

        assertArrayEquals(NEW, Files.readAllBytes(file));
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals("rw-r-----", PosixFilePermissions.toString(after.permissions()));
        assertEquals(group, after.group());
        assertEquals(List.of(file), names(file.getParent()));
    }

    @Test
    void aFailedReplaceRemovesItsTemporary() throws Exception {
        Path taken = Files.createDirectory(dir.resolve("taken"));
        Files.write(taken.resolve("inside"), OLD); // a folder with something in it cannot be renamed over

        assertThrows(IOException.class, () -> DurableFile.replace(taken, NEW, "rw-r--r--", null));

        assertEquals(List.of(taken), names(dir));
        assertArrayEquals(OLD, Files.readAllBytes(taken.resolve("inside")));
    }

    @Test
    void createWritesANewFileWithItsModeAndNeverReplacesOne() throws Exception {
        Path key = dir.resolve("receiver.key");
        DurableFile.create(key, OLD, "rw-------");
        assertArrayEquals(OLD, Files.readAllBytes(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        assertThrows(FileAlreadyExistsException.class, () -> DurableFile.create(key, NEW, "rw-------"));

        assertArrayEquals(OLD, Files.readAllBytes(key));
        assertEquals(List.of(key), names(dir), "the temporary of the refused file is gone");
    }

    @Test
    void writeEmptiesAFileFirst() throws Exception {
        Path file = dir.resolve(".tmp-entry");
        Files.write(file, OLD);

        DurableFile.write(file, NEW);

        assertArrayEquals(NEW, Files.readAllBytes(file));
    }

    @Test
    void writeNewRefusesAnExistingNameAndFollowsNoLink() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        Path link = Files.createSymbolicLink(dir.resolve(".part"), elsewhere);

        assertThrows(FileAlreadyExistsException.class, () -> DurableFile.writeNew(link, NEW));

        assertFalse(Files.exists(elsewhere));
        Path fresh = dir.resolve(".fresh.part");
        DurableFile.writeNew(fresh, NEW);
        assertArrayEquals(NEW, Files.readAllBytes(fresh));
    }

    @Test
    void syncFolderNeedsAFolderThatIsThere() throws Exception {
        DurableFile.syncFolder(dir);
        assertThrows(IOException.class, () -> DurableFile.syncFolder(dir.resolve("gone")));
    }

    private static List<Path> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
