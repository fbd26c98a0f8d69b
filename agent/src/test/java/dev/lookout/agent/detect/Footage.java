package dev.lookout.agent.detect;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The labelled sequences built from real footage by {@code src/test/footage/make}, in the cache
 * folder: {@code -Dlookout.footage=DIR}, else {@code $LOOKOUT_FOOTAGE}, else
 * {@code ${XDG_CACHE_HOME:-~/.cache}/lookout/footage}. Built on first use (fetches Debian's opencv-doc).
 */
public final class Footage {
    private Footage() {
    }

    public static Path directory() throws IOException, InterruptedException {
        String configured = System.getProperty("lookout.footage", System.getenv("LOOKOUT_FOOTAGE"));
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg == null || xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        Path dir = configured == null || configured.isEmpty() ? cache.resolve("lookout/footage") : Path.of(configured);
        Process make = new ProcessBuilder("src/test/footage/make", dir.toString()).inheritIO().start();
        if (make.waitFor() != 0) {
            throw new IOException("src/test/footage/make " + dir + " failed with exit " + make.exitValue());
        }
        return dir;
    }
}
