package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Debian's own checker on the two .deb files the build made: no tag at all (error, warning or
 * information) — each program has its manual page, made from its help at build time. Without
 * lintian it is skipped, loudly, unless CI is set, where it fails.
 */
class DebLintianIT {
    @Test
    void lintianFindsNothing() throws Exception {
        if (!Sh.has("lintian")) {
            String why = "SKIPPED: the package check needs lintian";
            System.err.println("*** " + why + " ***");
            Assumptions.assumeTrue(System.getenv("CI") != null, why);
        }
        List<String> command = Sh.list("lintian", "--tag-display-limit", "0");
        command.add(deb("agent", "lookout-agent"));
        command.add(deb("receiver", "lookout-receiver"));
        Sh.Result lintian = Sh.run(command, null);
        System.out.println(lintian.out());
        assertEquals(0, lintian.code(), lintian.out());
        List<String> tags = lintian.out().lines().filter(line -> line.matches("[EWIXPCON]: .*")).toList();
        assertEquals(List.of(), tags, lintian.out());
    }

    /** The one {@code <package>_<version>_all.deb} the build left in a module's target folder. */
    private static String deb(String module, String name) throws IOException {
        try (Stream<Path> files = Files.list(Sh.REPO.resolve(module).resolve("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches(name + "_.*_all\\.deb")).toList();
            assertEquals(1, debs.size(), module + "/target: " + debs);
            return debs.get(0).toString();
        }
    }
}
