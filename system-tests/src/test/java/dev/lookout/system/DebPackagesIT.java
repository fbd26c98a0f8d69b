package dev.lookout.system;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian packages on two fresh Debian 12 machines: src/test/sh/deb-e2e.sh makes a minimal root
 * with debootstrap (kept for a month), boots a laptop and a camera with systemd-nspawn on a private
 * network, installs the .deb files with apt and runs README's commands as written (its output
 * lists every check).
 */
class DebPackagesIT {
    @TempDir
    Path work;

    @Test
    void packagesInstallAndWorkOnFreshMachines() throws Exception {
        Sh.scenarios("deb-e2e.sh", work, "systemd-nspawn", "debootstrap");
    }
}
