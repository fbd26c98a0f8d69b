package dev.lookout.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The settings file: the example in config/ documents every key, and the commands take their values from it. */
class AgentDefaultsTest {
    private static final Path EXAMPLE = Path.of("../config/agent.properties");

    @TempDir
    Path dir;

    private record Outcome(int code, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theExampleMentionsEveryKeyAndLoads() throws Exception {
        CommandLine.Model.CommandSpec root = new CommandLine(new AgentCommand()).getCommandSpec();
        Matcher m = Pattern.compile("^#?([a-z-]+)=", Pattern.MULTILINE).matcher(Files.readString(EXAMPLE));
        Set<String> mentioned = new TreeSet<>();
        while (m.find()) {
            mentioned.add(m.group(1));
        }
        assertEquals(AgentDefaults.keys(root), mentioned);
        assertEquals(Set.of("to", "key-file", "camera", "source"), AgentDefaults.load(EXAMPLE, root).stringPropertyNames());
    }

    @Test
    void aCommandTakesItsOptionsFromTheFileAndTheCommandLineWins() throws Exception {
        Path spool = dir.resolve("spool");
        Path file = Files.writeString(dir.resolve("agent.properties"), "to=127.0.0.1:1\ncamera=porch\nspool=" + spool
                + "\nsource=synthetic\ntimeout=1\n");
        Outcome flush = run("flush", "--config", file.toString());
        assertEquals(0, flush.code(), "--to came from the file; an empty spool needs no connection: " + flush.err());
        assertTrue(Files.isDirectory(spool.resolve("outbox")), "--spool came from the file");
        Path other = dir.resolve("other");
        assertEquals(0, run("flush", "--config", file.toString(), "--spool", other.toString()).code());
        assertTrue(Files.isDirectory(other.resolve("outbox")));
    }

    @Test
    void aTypoOrAMissingFileIsAConfigurationError() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "too=laptop:4444\n");
        Outcome bad = run("flush", "--config", typo.toString());
        assertEquals(78, bad.code());
        assertEquals("Error: settings file " + typo + " has unknown keys [too]; keys are the long option names without"
                + " dashes, e.g. to, key-file, source", bad.err());
        Outcome missing = run("ctl", "--config", dir.resolve("none").toString(), "status");
        assertEquals(78, missing.code());
        assertEquals("Error: settings file " + dir.resolve("none") + " does not exist", missing.err());
        Path duration = Files.writeString(dir.resolve("duration.properties"), "duration=5\n");
        assertEquals(78, run("flush", "--config", duration.toString()).code(), "what one run does is no setting");
    }
}
