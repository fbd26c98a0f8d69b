package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.settings.OptionFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The receiver's config file: a properties file whose keys are the long option names without dashes. */
final class ConfigFile {
    /** The system install's file, read when present and no {@code --config} is given. */
    static final Path SYSTEM = Path.of("/etc/lookout/receiver.properties");
    /** What the options' help says of the default. */
    static final String DEFAULT_HELP = "/etc/lookout/receiver.properties, else ~/.config/lookout/receiver.properties, when present";
    private static final OptionFile FILE = new OptionFile("config file", "dir, key-file, max-bytes");

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
     * no error); its keys are {@link Settings#KEYS}.
     */
    static Properties load(Path named) throws Failure {
        Path fallback = named != null ? null : defaultFile(SYSTEM, System.getenv(), System.getProperty("user.home"));
        return FILE.load(named, fallback, Settings.KEYS);
    }
}
