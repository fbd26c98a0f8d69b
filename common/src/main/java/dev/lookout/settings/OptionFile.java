package dev.lookout.settings;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A program's settings file: a properties file whose keys are the program's long option names
 * without dashes. A file named on the command line must exist; the default file may be absent
 * (then nothing is set). A key that names no option is an error, so that a typo is not silently
 * ignored. Which keys exist and where the default file is are each program's to say; so is how
 * the values reach its options. Plain calls only: the receiver reads its file on every connection.
 */
public final class OptionFile {
    private final String kind;
    private final String examples;

    /**
     * @param kind     what the program calls the file in messages, e.g. "config file"
     * @param examples a few of its keys, for the message about unknown ones, e.g. "dir, key-file"
     */
    public OptionFile(String kind, String examples) {
        this.kind = kind;
        this.examples = examples;
    }

    /**
     * Reads {@code named}, or {@code fallback} when {@code named} is {@code null}, and checks its
     * keys against {@code keys}.
     *
     * @throws Failure {@link Sysexit#CONFIG}, one line: the named file is missing, either file is
     *                 unreadable or malformed, or it has keys not in {@code keys}
     */
    public Properties load(Path named, Path fallback, Set<String> keys) throws Failure {
        Path file = named != null ? named : fallback;
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (NoSuchFileException e) {
            if (named != null) {
                throw new Failure(Sysexit.CONFIG, kind + " " + file + " does not exist");
            }
            return values;
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure(Sysexit.CONFIG, "cannot read " + kind + " " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(values.stringPropertyNames());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw new Failure(Sysexit.CONFIG, kind + " " + file + " has unknown keys " + unknown
                    + "; keys are the long option names without dashes, e.g. " + examples);
        }
        return values;
    }
}
