package dev.lookout.receiver.cli;

import dev.lookout.receiver.ExitStatus;
import dev.lookout.receiver.ReceiverException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** The receiver's config file: a properties file whose keys are the long option names without dashes. */
final class ConfigFile {
    /** Read when present and no {@code --config} is given. */
    static final Path DEFAULT = Path.of("/etc/lookout/receiver.properties");

    private ConfigFile() {
    }

    /**
     * Reads {@code named}, or the default file when {@code named} is {@code null} (its absence is
     * no error). A key that names no option is an error, so that a typo is not silently ignored.
     */
    static Properties load(Path named) throws ReceiverException {
        Path file = named != null ? named : DEFAULT;
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (NoSuchFileException e) {
            if (named != null) {
                throw new ReceiverException(ExitStatus.CONFIG, "config file " + file + " does not exist");
            }
            return values;
        } catch (IOException | IllegalArgumentException e) {
            throw new ReceiverException(ExitStatus.CONFIG, "cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(values.stringPropertyNames());
        unknown.removeAll(Settings.KEYS);
        if (!unknown.isEmpty()) {
            throw new ReceiverException(ExitStatus.CONFIG, "config file " + file + " has unknown keys " + unknown
                    + "; keys are the long option names without dashes, e.g. dir, key-file, max-bytes");
        }
        return values;
    }
}
