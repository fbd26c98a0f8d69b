package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresharedKeyTest {
    @TempDir
    Path dir;

    @Test
    void generatesAPrivateRandomKeyAndNeverReplacesOne() throws Exception {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        PresharedKey.generate(a);
        PresharedKey.generate(b);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
        assertEquals(PresharedKey.BYTES, PresharedKey.read(a).length);
        assertFalse(Arrays.equals(PresharedKey.read(a), PresharedKey.read(b)));
        byte[] before = Files.readAllBytes(a);
        assertThrows(FileAlreadyExistsException.class, () -> PresharedKey.generate(a));
        assertEquals(new String(before), Files.readString(a));
    }

    @Test
    void refusesMalformedKeyFiles() throws Exception {
        Path notBase64 = Files.writeString(dir.resolve("x"), "not base64 !!");
        Path tooShort = Files.writeString(dir.resolve("y"), "AAAA\n");
        assertThrows(IllegalArgumentException.class, () -> PresharedKey.read(notBase64));
        assertThrows(IllegalArgumentException.class, () -> PresharedKey.read(tooShort));
    }
}
