package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every unit in units/ as systemd reads it: {@code systemd-analyze verify} says nothing, and
 * {@code systemd-analyze security --offline=yes} scores each service within its bound. The units are
 * checked in a staged root holding this machine's systemd units and stand-ins for the programs
 * (verify checks that ExecStart= exists).
 */
class UnitFilesIT {
    private static final Pattern SCORE = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d)");
    private static final Path UNITS = Sh.REPO.resolve("units");

    @TempDir
    static Path stage;
    static List<String> units = new ArrayList<>();

    @BeforeAll
    static void stageRoot() throws Exception {
        Path system = Files.createDirectories(stage.resolve("etc/systemd/system"));
        Sh.run("cp", "-a", "/usr/lib/systemd", Files.createDirectories(stage.resolve("usr/lib")).toString()).expect(0);
        for (String machine : List.of("receiver", "agent")) {
            try (Stream<Path> files = Files.list(UNITS.resolve(machine))) {
                for (Path unit : files.filter(p -> p.toString().matches(".*\\.(service|socket|path|timer)$")).toList()) {
                    Files.copy(unit, system.resolve(unit.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    units.add(unit.getFileName().toString());
                }
            }
        }
        Path opt = Files.createDirectories(stage.resolve("opt/lookout"));
        for (String program : List.of("lookout-receiver", "lookout-agent")) {
            Files.writeString(opt.resolve(program), "#!/bin/sh\n");
            Files.setPosixFilePermissions(opt.resolve(program), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        units.sort(null);
    }

    @Test
    void systemdAnalyzeVerifySaysNothing() throws Exception {
        assertEquals(17, units.size(), units.toString());
        List<String> command = Sh.list("systemd-analyze", "verify", "--root=" + stage);
        command.addAll(units);
        Sh.Result verify = Sh.run(command, stage.resolve("etc/systemd/system"));
        assertEquals(new Sh.Result(0, ""), verify);
    }

    /** The per-connection receiver at most 1.0, every other service at most 2.0 (0 is best, 10 worst). */
    @Test
    void exposureScoresWithinTheirBounds() throws Exception {
        Map<String, Double> scores = new TreeMap<>();
        for (String unit : units) {
            if (unit.endsWith(".service")) {
                Sh.Result security = Sh.run("systemd-analyze", "security", "--offline=yes", "--root=" + stage, unit);
                Matcher m = SCORE.matcher(security.out());
                assertTrue(m.find(), security.out());
                scores.put(unit, Double.parseDouble(m.group(2)));
            }
        }
        System.out.println("systemd-analyze security --offline=yes: " + scores);
        assertEquals(8, scores.size());
        scores.forEach((unit, score) -> assertTrue(score <= (unit.equals("lookout-receiver@.service") ? 1.0 : 2.0),
                unit + " scores " + score));
    }

    /** The hardening block of each service: one directive per line, in alphabetical order. */
    @Test
    void hardeningDirectivesAreAlphabetical() throws IOException {
        for (String unit : units) {
            if (!unit.endsWith(".service")) {
                continue;
            }
            List<String> lines = Files.readAllLines(stage.resolve("etc/systemd/system").resolve(unit));
            int from = lines.indexOf("CapabilityBoundingSet=");
            assertTrue(from > 0, unit + " has a hardening block");
            List<String> keys = new ArrayList<>();
            for (String line : lines.subList(from, lines.size())) {
                if (line.isBlank() || line.startsWith("[")) {
                    break;
                }
                if (!line.startsWith("#")) {
                    keys.add(line.substring(0, line.indexOf('=')));
                }
            }
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            assertEquals(sorted, keys, unit);
        }
    }
}
