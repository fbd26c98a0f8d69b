package dev.lookout.agent.setup;

import dev.lookout.files.DurableFile;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

/**
 * Puts a camera's settings in place: the given keys into the settings file (the rest of it kept)
 * and the receiver's key beside it, readable by the agent's group only. Each step says whether it
 * changed anything, so that the service is restarted only when it must.
 */
public final class Setup {
    private Setup() {
    }

    /** Sets {@code values} in the settings file; true when it changed. */
    public static boolean settings(Path file, Map<String, String> values) throws IOException {
        return SettingsFile.update(file, values);
    }

    /**
     * Installs the key read from {@code from} as {@code to}, mode 0640, group {@code group}; true
     * when {@code to} changed (a new key, or its group or mode were not these).
     *
     * @throws IllegalArgumentException when {@code from} holds no key
     */
    public static boolean key(Path from, Path to, String group) throws IOException {
        byte[] key = PresharedKey.read(from);
        GroupPrincipal owner = to.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        if (Files.isRegularFile(to) && sameKey(to, key)
                && owner.equals(Files.readAttributes(to, PosixFileAttributes.class).group())
                && "rw-r-----".equals(PosixFilePermissions.toString(Files.getPosixFilePermissions(to)))) {
            return false;
        }
        DurableFile.replace(to, PresharedKey.encode(key), "rw-r-----", owner);
        return true;
    }

    private static boolean sameKey(Path file, byte[] key) {
        try {
            return Arrays.equals(PresharedKey.read(file), key);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
