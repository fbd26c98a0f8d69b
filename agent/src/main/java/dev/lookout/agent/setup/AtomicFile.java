package dev.lookout.agent.setup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** A file written whole: into a temporary beside it with its group and mode set, then renamed over it. */
final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes {@code content}; {@code mode} like "rw-r-----"; {@code group} null keeps the creator's group. */
    static void write(Path file, byte[] content, String mode, GroupPrincipal group) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
        Path fresh = Files.createTempFile(folder, "." + file.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(fresh, content);
            if (group != null) {
                Files.getFileAttributeView(fresh, PosixFileAttributeView.class).setGroup(group);
            }
            Files.setPosixFilePermissions(fresh, permissions);
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(fresh);
        }
    }
}
