package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.CameraName;
import dev.lookout.receiver.gallery.Gallery;
import dev.lookout.receiver.gallery.Layout;
import dev.lookout.receiver.prune.Pruner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Removes old images: those older than --keep-days, then the oldest until the images take at most",
            "--max-bytes and the disk has --min-free free. Never removes an image with a NAME.jpg.keep file beside it,",
            "anything outside the day folders (a keep/ folder), the last hour's images, or each camera's newest hour.",
            "Removes day folders left empty; brings the gallery up to date when there is one. Lists what goes on",
            "standard error; --dry-run lists what would go and changes nothing.",
            "Exit 0 when done, 74 when the space limits could not be met with what may be removed."})
final class PruneCommand implements Callable<Integer> {
    @Mixin
    ImageRoot root;

    @Option(names = "--keep-days", paramLabel = "DAYS", defaultValue = "0",
            description = "Remove images older than this many days (default: no age limit).")
    int keepDays;

    @Option(names = "--max-bytes", paramLabel = "SIZE", description = "The images may take at most this much, e.g. 20GiB.")
    ByteSize maxBytes;

    @Option(names = "--min-free", paramLabel = "SIZE", description = "Keep this much of the disk free, e.g. 5GiB.")
    ByteSize minFree;

    @Option(names = "--camera", paramLabel = "NAME", description = "Only this camera's images (default: every camera's).")
    String camera;

    @Option(names = "--" + Settings.ARCHIVED_ONLY, paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Remove only stills that 'archive' has copied and verified (default: '"
                    + Settings.ARCHIVED_ONLY + "' of the config file, else false).")
    Boolean archivedOnly;

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Failure, IOException {
        if (keepDays <= 0 && maxBytes == null && minFree == null) {
            throw new Failure(Sysexit.USAGE, "nothing to prune by: give --keep-days, --max-bytes or --min-free");
        }
        if (keepDays < 0) {
            throw new Failure(Sysexit.USAGE, "--keep-days must not be negative");
        }
        if (camera != null && !CameraName.isValid(camera)) {
            throw new Failure(Sysexit.USAGE, "'" + camera + "' is not a camera name");
        }
        Path dir = root.path();
        boolean archived = archivedOnly != null ? archivedOnly
                : Settings.bool(root.file().getProperty(Settings.ARCHIVED_ONLY, "false").strip());
        Pruner pruner = new Pruner(dir, new Pruner.Policy(keepDays, maxBytes == null ? 0 : maxBytes.bytes(),
                minFree == null ? 0 : minFree.bytes(), camera, archived), Instant.now(), () -> usable(dir));
        PrintWriter err = spec.commandLine().getErr();
        Pruner.Outcome outcome;
        if (dryRun) {
            outcome = pruner.plan();
            outcome.removals().forEach(r -> err.println("would remove " + r.image().relative() + " (" + r.reason() + ")"));
        } else {
            outcome = pruner.apply(r -> err.println("removed " + r.image().relative() + " (" + r.reason() + ")"));
            if (Files.isDirectory(dir.resolve(Layout.DIR))) {
                new Gallery(dir).update();
            }
        }
        err.printf("prune: %s %d images (%s); %d kept, %d of them marked to keep%s%n", dryRun ? "would remove" : "removed",
                outcome.removals().size(), Pruner.size(outcome.bytes()), outcome.kept(), outcome.keptMarked(),
                archived ? ", " + outcome.keptUnarchived() + " not yet archived" : "");
        if (outcome.limitMissed()) {
            err.println("prune: the space limits are not met: what is left is protected (the newest hour, .keep"
                    + (archived ? ", not yet archived)" : ")"));
            return Sysexit.IO.code();
        }
        return Sysexit.OK.code();
    }

    /** statvfs(2) on the folder: the file store's mount entry may be hidden in a sandbox (ProcSubset=pid). */
    private static long usable(Path dir) {
        return dir.toFile().getUsableSpace();
    }
}
