package dev.lookout.receiver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example config file in config/ is read by the code it documents, and documents every key. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("../config/receiver.properties");

    @Test
    void loadsWithTheDocumentedDefaults() throws Exception {
        Properties values = ConfigFile.load(EXAMPLE);
        Settings settings = Settings.fromFile(values);
        assertEquals(Path.of(Settings.DIR_DEFAULT), settings.dir);
        assertEquals(ByteSize.parse(Settings.MAX_BYTES_DEFAULT), settings.maxBytes);
        assertEquals(ByteSize.parse(Settings.MIN_FREE_DEFAULT), settings.minFree);
        assertEquals(Durations.parse(Settings.IDLE_TIMEOUT_DEFAULT), settings.idleTimeout);
        assertEquals(Duration.ofSeconds(120), settings.deadline);
    }

    @Test
    void mentionsEveryKeyCommentedOrNot() throws Exception {
        Pattern key = Pattern.compile("^#?([a-z0-9-]+)=", Pattern.MULTILINE);
        Matcher m = key.matcher(Files.readString(EXAMPLE));
        Set<String> mentioned = new TreeSet<>();
        while (m.find()) {
            mentioned.add(m.group(1));
        }
        assertEquals(new TreeSet<>(Settings.KEYS), mentioned);
        assertEquals(List.of(), List.copyOf(ConfigFile.load(EXAMPLE).stringPropertyNames().stream()
                .filter(k -> !Settings.KEYS.contains(k)).toList()));
    }
}
