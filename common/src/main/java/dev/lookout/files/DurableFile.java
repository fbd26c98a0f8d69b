package dev.lookout.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files written so that they survive a crash or power cut whole or not at all: the bytes go to a
 * temporary file, which is fsynced, then take their final name (rename or link), and the folder is
 * fsynced, so that the name is on disk too. {@link #replace} and {@link #create} do all of it; a
 * caller that names its own temporaries (and decides how they are published) uses the steps
 * {@link #write}, {@link #writeNew} and {@link #syncFolder}.
 *
 * <p>Not guaranteed: a crash can leave a temporary file behind (a hidden name beginning with a dot
 * and the final name, ending in {@code .new}); it is never visible under the final name.
 */
public final class DurableFile {
    private DurableFile() {
    }

    /**
     * Puts {@code content} in {@code file}, replacing it atomically, with mode {@code mode} (like
     * {@code "rw-r-----"}) and group {@code group} ({@code null}: the creator's); the folder is
     * created when missing. On failure the file is as before and the temporary is gone.
     */
    public static void replace(Path file, byte[] content, String mode, GroupPrincipal group) throws IOException {
        Path folder = Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = temporary(folder, file, content, mode, group);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(folder);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code file} holding {@code content}, with mode {@code mode}; never replaces a file
     * ({@link java.nio.file.FileAlreadyExistsException}), and never shows it partly written: it
     * appears under its name by {@code link(2)}, already whole. On failure the temporary is gone.
     */
    public static void create(Path file, byte[] content, String mode) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = temporary(folder, file, content, mode, null);
        try {
            Files.createLink(file, temp);
            syncFolder(folder);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path temporary(Path folder, Path file, byte[] content, String mode, GroupPrincipal group)
            throws IOException {
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            write(temp, content);
            if (group != null) {
                Files.getFileAttributeView(temp, PosixFileAttributeView.class).setGroup(group);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Writes {@code content} to {@code file}, created or emptied first, and fsyncs it. Its name is not yet synced. */
    public static void write(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            fill(channel, content);
        }
    }

    /**
     * Writes {@code content} to {@code file}, which must not exist yet (nor be a link), and fsyncs
     * it. Its name is not yet synced.
     */
    public static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            fill(channel, content);
        }
    }

    private static void fill(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(true);
    }

    /** Fsyncs a folder: the names created, renamed, linked or removed in it are on disk when this returns. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
