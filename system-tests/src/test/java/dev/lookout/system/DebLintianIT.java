package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Debian's own checker on the two .deb files the build made: no error, and no warning but the one
 * kept on purpose, {@code no-manual-page} (each program explains itself with {@code --help}, and
 * the package installs its docs). A new tag of any kind fails here. Without lintian it is skipped,
 * loudly, unless CI is set, where it fails.
 */
class DebLintianIT {
    private static final List<String> KEPT = List.of(
            "W: lookout-agent: no-manual-page [usr/bin/lookout-agent]",
            "W: lookout-receiver: no-manual-page [usr/bin/lookout-receiver-user-setup]",
            "W: lookout-receiver: no-manual-page [usr/bin/lookout-receiver]");

    @Test
    void lintianFindsNoErrorAndNoWarningButTheManualPages() throws Exception {
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
        assertEquals(new TreeSet<>(KEPT), new TreeSet<>(tags), lintian.out());
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
