package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.gallery.Gallery;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = {"Writes a browsable gallery into the image root: index.html (cameras, days newest first, counts,",
            "the latest thumbnail), and in .gallery/ a page per camera and day (thumbnails, click for the image,",
            "arrow keys for the next and previous, Esc to close) and the thumbnails. Opens from file://; no server.",
            "Only days that changed since the last run are written again; each thumbnail is made once."})
final class GalleryCommand implements Callable<Integer> {
    @Mixin
    ImageRoot root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Failure, IOException {
        long start = System.nanoTime();
        java.nio.file.Path dir = root.path();
        Gallery.Summary s = new Gallery(dir).update();
        spec.commandLine().getErr().printf("gallery: %s of %s on %s; %s written, %s made%s, %d ms; open %s%n",
                count(s.images(), "image"), count(s.cameras(), "camera"), count(s.days(), "day"),
                count(s.daysWritten(), "day page"), count(s.thumbnailsMade(), "thumbnail"),
                s.unreadable() == 0 ? "" : ", " + count(s.unreadable(), "image") + " unreadable",
                (System.nanoTime() - start) / 1_000_000, dir.resolve("index.html").toUri());
        return Sysexit.OK.code();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
