package dev.lookout.receiver.archive;

import dev.lookout.files.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What of one camera's day is archived and verified: {@code <root>/.archived/<camera>/<day>}, a line
 * {@code NAME SHA256} per still. It is replaced whole ({@link DurableFile#replace}), so after a crash
 * it is the last version written, never half of one; a still copied but not yet recorded is found
 * in the bucket by the next run (its conditional write is refused) and recorded then.
 */
public final class DayRecord {
    /** The folder under the image root: hidden, so the gallery and retention do not take it for a camera. */
    public static final String DIR = ".archived";

    private final Path file;
    private final Map<String, String> archived = new TreeMap<>();
    private boolean changed;

    private DayRecord(Path file) {
        this.file = file;
    }

    /** The record of {@code camera}'s {@code day}: empty when nothing of it is archived yet. */
    public static DayRecord read(Path root, String camera, String day) throws IOException {
        DayRecord record = new DayRecord(root.resolve(DIR).resolve(camera).resolve(day));
        try {
            for (String line : Files.readAllLines(record.file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    record.archived.put(line.substring(0, space), line.substring(space + 1));
                }
            }
        } catch (NoSuchFileException none) {
            // nothing archived of this day
        }
        return record;
    }

    /** Whether the still named {@code name} is archived and verified. */
    public synchronized boolean contains(String name) {
        return archived.containsKey(name);
    }

    /** How many stills of the day are archived. */
    public synchronized int size() {
        return archived.size();
    }

    /** Notes a still as archived and verified; {@link #save} makes it durable. */
    public synchronized void add(String name, String sha256) {
        changed |= archived.put(name, sha256) == null;
    }

    /** Writes the record when something was added since it was read or last saved. */
    public synchronized void save() throws IOException {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder();
        archived.forEach((name, sha256) -> text.append(name).append(' ').append(sha256).append('\n'));
        DurableFile.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), "rw-r-----", null);
        changed = false;
    }
}
