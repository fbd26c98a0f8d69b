package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.archive.Archiver;
import dev.lookout.receiver.archive.Credentials;
import dev.lookout.receiver.archive.Target;
import dev.lookout.receiver.prune.Pruner;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "archive", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Copies the stills not yet archived to an S3-compatible bucket, under their path below the image root",
            "(after --s3-prefix), never replacing an object, and records each the store confirmed in .archived/ under the",
            "root, so that a run does only new work and 'prune --archived-only' may remove it. Every option may be set in",
            "the receiver's config file under its long name without dashes (s3-bucket=...).",
            "Exit 0 when done (conflicts are listed), 74 when stills could not be read, 75 when the store is unreachable or",
            "refuses for now (try again later), 78 when the configuration is wrong (credentials, bucket, region)."})
final class ArchiveCommand implements Callable<Integer> {
    @Mixin
    ImageRoot root;

    @Option(names = "--" + Settings.S3_ENDPOINT, paramLabel = "URL",
            description = "The store's URL, e.g. http://nas:9000 (default: AWS S3, from the region).")
    String endpoint;

    @Option(names = "--" + Settings.S3_REGION, paramLabel = "REGION", defaultValue = Settings.S3_REGION_DEFAULT,
            description = "The bucket's region (default: ${DEFAULT-VALUE}; most other stores take any).")
    String region;

    @Option(names = "--" + Settings.S3_BUCKET, paramLabel = "NAME", description = "The bucket; it must exist.")
    String bucket;

    @Option(names = "--" + Settings.S3_PREFIX, paramLabel = "PREFIX", defaultValue = "",
            description = "Keys start with PREFIX/ (default: none).")
    String prefix;

    @Option(names = "--" + Settings.S3_PATH_STYLE, paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", description = "Path-style URLs (MinIO, Garage, S3Proxy): http://host/bucket/key.")
    Boolean pathStyle;

    @Option(names = "--" + Settings.S3_CREDENTIALS, paramLabel = "FILE",
            description = "access-key=... and secret-key=..., readable by its owner and group only.")
    Path credentials;

    @Option(names = "--" + Settings.S3_STORAGE_CLASS, paramLabel = "CLASS",
            description = "Storage class of the objects, e.g. STANDARD_IA (default: the bucket's).")
    String storageClass;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Failure, IOException {
        long start = System.nanoTime();
        if (bucket == null || bucket.isBlank()) {
            throw new Failure(Sysexit.CONFIG, "no bucket: set " + Settings.S3_BUCKET + " in the config file, or --" + Settings.S3_BUCKET);
        }
        if (credentials == null) {
            throw new Failure(Sysexit.CONFIG, "no credentials: set " + Settings.S3_CREDENTIALS + " in the config file, or --"
                    + Settings.S3_CREDENTIALS);
        }
        Target target = new Target(endpoint(), region, bucket, prefix, pathStyle, storageClass);
        Path dir = root.path();
        Archiver.Summary s = new Archiver(dir, target, Credentials.read(credentials), spec.commandLine().getErr()).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getErr().println(String.format(Locale.ROOT,
                "archive: %d stills copied (%s, %.0f/s), %d found already there, %d conflicts%s; %d of %d stills archived; %s; %.1f s",
                s.copied(), Pruner.size(s.bytes()), s.copied() / seconds, s.found(), s.conflicts(),
                s.unreadable() == 0 ? "" : ", " + s.unreadable() + " unreadable",
                s.before() + s.copied() + s.found(), s.stills(), target, seconds));
        return s.unreadable() == 0 ? Sysexit.OK.code() : Sysexit.IO.code();
    }

    private URI endpoint() throws Failure {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(endpoint.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new Failure(Sysexit.CONFIG, Settings.S3_ENDPOINT + " '" + endpoint + "' is not an http:// or https:// URL");
    }
}
