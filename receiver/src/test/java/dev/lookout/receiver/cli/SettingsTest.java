package dev.lookout.receiver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void parsesSizesAndDurations() {
        assertEquals(1048576, ByteSize.parse("1048576").bytes());
        assertEquals(512 * 1024, ByteSize.parse("512K").bytes());
        assertEquals(32L << 20, ByteSize.parse("32MiB").bytes());
        assertEquals(1L << 30, ByteSize.parse("1g").bytes());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("12 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999T"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    }

    @Test
    void theConfigFileKeysAreExactlyTheLongOptionNames() {
        CommandLine cli = new CommandLine(new ReceiverCommand());
        Set<String> options = cli.getCommandSpec().options().stream().map(o -> o.longestName().substring(2))
                .filter(name -> !Set.of("config", "verbose", "help", "version").contains(name))
                .collect(Collectors.toSet());
        // archive's options (but the image root's, which it shares), and the one of prune its timer reads
        cli.getSubcommands().get("archive").getCommandSpec().options().stream().map(o -> o.longestName().substring(2))
                .filter(name -> name.startsWith("s3-")).forEach(options::add);
        options.add(cli.getSubcommands().get("prune").getCommandSpec().findOption("--archived-only").longestName().substring(2));
        assertEquals(options, Settings.KEYS);
    }

    @Test
    void aFileGivesTheSameSettingsAsTheCommandLine() throws Exception {
        Properties file = new Properties();
        file.setProperty("dir", dir.toString());
        file.setProperty("max-bytes", "2M");
        file.setProperty("deadline", "3m");
        file.setProperty("time-zone", "Europe/Oslo");
        Settings fromFile = Settings.fromFile(file);
        ReceiverCommand command = new ReceiverCommand();
        new CommandLine(command).registerConverter(ByteSize.class, ByteSize::parse)
                .registerConverter(Duration.class, Durations::parse)
                .parseArgs("--dir", dir.toString(), "--max-bytes", "2M", "--deadline", "3m", "--time-zone", "Europe/Oslo");
        Settings fromArgs = command.settings;
        assertEquals(fromArgs.dir, fromFile.dir);
        assertEquals(fromArgs.maxBytes, fromFile.maxBytes);
        assertEquals(fromArgs.minFree, fromFile.minFree);
        assertEquals(fromArgs.deadline, fromFile.deadline);
        assertEquals(fromArgs.idleTimeout, fromFile.idleTimeout);
        assertEquals(fromArgs.idleExit, fromFile.idleExit);
        assertEquals(fromArgs.maxConnections, fromFile.maxConnections);
        assertEquals(ZoneId.of("Europe/Oslo"), fromFile.timeZone);
        assertNull(fromFile.keyFile);
        assertNull(fromFile.allowRaw);
    }

    @Test
    void aBadValueNamesItsKey() {
        Properties file = new Properties();
        file.setProperty("idle-timeout", "forever");
        Failure e = assertThrows(Failure.class, () -> Settings.fromFile(file));
        assertEquals(Sysexit.CONFIG, e.status());
        assertTrue(e.getMessage().startsWith("config key idle-timeout: 'forever'"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsAConfigurationError() throws Exception {
        Path config = Files.writeString(dir.resolve("r.properties"), "dir=/x\nmax_bytes=1M\n");
        Failure e = assertThrows(Failure.class, () -> ConfigFile.load(config));
        assertEquals(Sysexit.CONFIG, e.status());
        assertTrue(e.getMessage().contains("unknown keys [max_bytes]"), e.getMessage());
    }

    @Test
    void aNamedFileMustExistTheDefaultNeedNot() {
        assertEquals(Sysexit.CONFIG, assertThrows(Failure.class,
                () -> ConfigFile.load(dir.resolve("missing.properties"))).status());
    }

    /** An image is held in memory: max-bytes is bounded (on the command line and in the file) to 1 GiB. */
    @Test
    void maxBytesIsBoundedTo1GiB() throws Exception {
        Properties file = new Properties();
        file.setProperty("dir", dir.toString());
        file.setProperty("max-bytes", "1GiB");
        Settings.fromFile(file).launcher();
        for (String tooLarge : new String[] {"1025MiB", "3G", "8T"}) {
            file.setProperty("max-bytes", tooLarge);
            Failure e = assertThrows(Failure.class, () -> Settings.fromFile(file).launcher());
            assertEquals(Sysexit.USAGE, e.status());
            assertTrue(e.getMessage().contains("at most 1 GiB"), e.getMessage());
        }
    }

    @Test
    void withoutConfigTheSystemFileElseTheUsersIsRead() throws Exception {
        Path system = dir.resolve("etc/receiver.properties");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path xdg = Files.createDirectories(dir.resolve("xdg"));
        assertEquals(system, ConfigFile.defaultFile(system, java.util.Map.of(), home.toString()));
        Path user = Files.createDirectories(home.resolve(".config/lookout")).resolve("receiver.properties");
        Files.writeString(user, "dir=" + dir);
        assertEquals(user, ConfigFile.defaultFile(system, java.util.Map.of(), home.toString()));
        assertEquals(system, ConfigFile.defaultFile(system, java.util.Map.of("XDG_CONFIG_HOME", xdg.toString()),
                home.toString()));
        Path xdgUser = Files.createDirectories(xdg.resolve("lookout")).resolve("receiver.properties");
        Files.writeString(xdgUser, "dir=" + dir);
        assertEquals(xdgUser, ConfigFile.defaultFile(system, java.util.Map.of("XDG_CONFIG_HOME", xdg.toString()),
                home.toString()));
        Files.createDirectories(system.getParent());
        Files.writeString(system, "dir=" + dir);
        assertEquals(system, ConfigFile.defaultFile(system, java.util.Map.of(), home.toString()));
    }
}
