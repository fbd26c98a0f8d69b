package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** The receiver's config file: a properties file whose keys are the long option names without dashes. */
final class ConfigFile {
    /** The system install's file, read when present and no {@code --config} is given. */
    static final Path SYSTEM = Path.of("/etc/lookout/receiver.properties");
    /** What the options' help says of the default. */
    static final String DEFAULT_HELP = "/etc/lookout/receiver.properties, else ~/.config/lookout/receiver.properties, when present";

    /**
     * The file read when no {@code --config} is given: the system install's, else a user install's
     * ({@code $XDG_CONFIG_HOME/lookout/receiver.properties}, by default under {@code ~/.config}).
     */
    static Path defaultFile(Path system, Map<String, String> env, String home) {
        if (Files.exists(system)) {
            return system;
        }
        String xdg = env.getOrDefault("XDG_CONFIG_HOME", "");
        Path user = (xdg.isEmpty() ? Path.of(home, ".config") : Path.of(xdg)).resolve("lookout/receiver.properties");
        return Files.exists(user) ? user : system;
    }

    private ConfigFile() {
    }

    /**
     * Reads {@code named}, or the default file when {@code named} is {@code null} (its absence is
     * no error). A key that names no option is an error, so that a typo is not silently ignored.
     */
    static Properties load(Path named) throws Failure {
        Path file = named != null ? named : defaultFile(SYSTEM, System.getenv(), System.getProperty("user.home"));
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (NoSuchFileException e) {
            if (named != null) {
                throw new Failure(Sysexit.CONFIG, "config file " + file + " does not exist");
            }
            return values;
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure(Sysexit.CONFIG, "cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(values.stringPropertyNames());
        unknown.removeAll(Settings.KEYS);
        if (!unknown.isEmpty()) {
            throw new Failure(Sysexit.CONFIG, "config file " + file + " has unknown keys " + unknown
                    + "; keys are the long option names without dashes, e.g. dir, key-file, max-bytes");
        }
        return values;
    }
}
