package dev.lookout.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units under a real systemd, end to end: src/test/sh/nspawn-e2e.sh boots a container with
 * systemd-nspawn, installs both machines with units/install.sh and checks every scenario (its
 * output lists them). Needs root; anywhere else it is skipped, loudly, unless CI is set, where it fails.
 */
class NspawnIT {
    @TempDir
    Path work;

    @Test
    void installedUnitsWorkUnderSystemd() throws Exception {
        if (!Sh.root() || !Sh.has("systemd-nspawn")) {
            String why = "SKIPPED: the systemd-nspawn end-to-end test needs root and systemd-container";
            System.err.println("*** " + why + " ***");
            assumeTrue(System.getenv("CI") != null, why);
        }
        Sh.Result run = Sh.run(Sh.list("sh", Sh.REPO.resolve("system-tests/src/test/sh/nspawn-e2e.sh").toString(),
                Sh.REPO.toString(), work.toString()), null);
        System.out.println(run.out());
        assertEquals(0, run.code(), run.out());
        assertEquals("all scenarios passed", run.out().lines().reduce((a, b) -> b).orElse(""));
    }
}
