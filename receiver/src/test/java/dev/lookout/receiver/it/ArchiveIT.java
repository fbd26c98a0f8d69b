package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.support.ImageTrees;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.S3Proxy;
import dev.lookout.receiver.support.Trees;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The packaged receiver's 'archive' against a real S3 server (S3Proxy as a child process, one for
 * the class, a bucket per test), and 'prune --archived-only' after it.
 */
class ArchiveIT {
    private static final Pattern SUMMARY = Pattern.compile("archive: (\\d+) stills copied .*, (\\d+) found already there, (\\d+) conflicts");
    private static S3Proxy proxy;
    private static S3Client s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer(@TempDir Path serverDir) throws Exception {
        proxy = S3Proxy.start(serverDir);
        s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(proxy.endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY))).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
        proxy.close();
    }

    @Test
    void aThousandStillsArriveWithTheirBytesAndASecondRunCopiesNothing() throws Exception {
        Path root = stills(1000, 20_000);
        Path bucket = proxy.bucket("thousand");

        Program.Result first = archive(root, "thousand", secret());
        assertEquals(0, first.code(), first.stderr());
        assertEquals(List.of(1000, 0, 0), counts(first));
        assertEquals(Trees.images(root).stream().map(s -> "home/" + s).toList(), Trees.files(bucket));
        for (String still : Trees.images(root)) {
            assertArrayEquals(Files.readAllBytes(root.resolve(still)), Files.readAllBytes(bucket.resolve("home/" + still)), still);
        }
        String sample = Trees.images(root).get(500);
        HeadObjectResponse head = s3.headObject(b -> b.bucket("thousand").key("home/" + sample));
        assertEquals("image/jpeg", head.contentType());
        assertEquals(Files.getLastModifiedTime(root.resolve(sample)).toInstant(),
                Instant.parse(head.metadata().get("capture-time")));
        assertEquals(sha256(root.resolve(sample)), head.metadata().get("sha256"));

        Map<String, Object> objects = objects(bucket);
        Program.Result second = archive(root, "thousand", secret());
        assertEquals(0, second.code(), second.stderr());
        assertEquals(List.of(0, 0, 0), counts(second));
        assertTrue(second.stderr().contains("1000 of 1000 stills archived"), second.stderr());
        assertEquals(objects, objects(bucket), "no object was written again");
    }

    @Test
    void aRunKilledAtAnyMomentIsFinishedByTheNextWithNothingSentTwice() throws Exception {
        Path root = stills(1000, 60_000);
        Path bucket = proxy.bucket("killed");
        try (Program run = Program.start(Program.javaJar(args(root, "killed", secret())))) {
            await(() -> objects(bucket).size() >= 150, run);
            run.process().destroyForcibly().waitFor(); // SIGKILL
        }
        Map<String, Object> before = objects(bucket);
        assertTrue(before.size() < 1000, "killed after " + before.size() + " stills, before the end");

        Program.Result rerun = archive(root, "killed", secret());
        assertEquals(0, rerun.code(), rerun.stderr());
        assertTrue(rerun.stderr().contains("1000 of 1000 stills archived"), rerun.stderr());
        List<Integer> counts = counts(rerun);
        assertTrue(counts.get(0) <= 1000 - before.size(), "copied again: " + rerun.stderr());
        for (String still : Trees.images(root)) {
            assertArrayEquals(Files.readAllBytes(root.resolve(still)), Files.readAllBytes(bucket.resolve("home/" + still)), still);
        }
        Map<String, Object> after = objects(bucket);
        before.forEach((key, file) -> assertEquals(file, after.get(key), key + " was written again"));
        assertEquals(List.of(0, 0, 0), counts(archive(root, "killed", secret())));
    }

    @Test
    void aStoreThatIsAwayIsTemporaryAndTheNextRunDoesTheWork() throws Exception {
        Path root = stills(20, 5_000);
        proxy.bucket("away");
        Program.Result away = Program.runJar("archive", "--dir", root.toString(), "--s3-endpoint",
                "http://127.0.0.1:" + Program.freePort(), "--s3-bucket", "away", "--s3-path-style",
                "--s3-credentials", secret().toString());
        assertEquals(75, away.code(), away.stderr());
        assertOneErrorLine(away, "cannot reach s3://away at http://127.0.0.1:");
        assertFalse(Files.exists(root.resolve(".archived/porch")), "nothing recorded");

        Program.Result later = archive(root, "away", secret());
        assertEquals(0, later.code(), later.stderr());
        assertEquals(List.of(20, 0, 0), counts(later));
    }

    @Test
    void wrongCredentialsAMissingBucketOrAnOpenCredentialsFileAreConfigurationErrors() throws Exception {
        Path root = stills(5, 5_000);
        Path bucket = proxy.bucket("guarded");
        Path wrong = credentials("wrong", "access-key=" + S3Proxy.ACCESS_KEY + "\nsecret-key=not-the-secret\n");
        Program.Result refused = archive(root, "guarded", wrong);
        assertEquals(78, refused.code(), refused.stderr());
        assertOneErrorLine(refused, "SignatureDoesNotMatch");
        assertFalse(refused.stderr().contains("not-the-secret"), refused.stderr());
        assertEquals(List.of(), Trees.files(bucket));
        assertFalse(Files.exists(root.resolve(".archived/porch")), "nothing recorded");

        Program.Result missing = archive(root, "no-such-bucket", secret());
        assertEquals(78, missing.code(), missing.stderr());
        assertOneErrorLine(missing, "NoSuchBucket");

        Path open = secret();
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Program.Result exposed = archive(root, "guarded", open);
        assertEquals(78, exposed.code(), exposed.stderr());
        assertOneErrorLine(exposed, "is open to other users");
        assertFalse(exposed.stderr().contains(S3Proxy.SECRET_KEY), exposed.stderr());
    }

    @Test
    void otherBytesUnderAStillsKeyAreAConflictLeftAlone() throws Exception {
        Path root = stills(10, 5_000);
        Path bucket = proxy.bucket("taken");
        String still = Trees.images(root).get(3);
        byte[] other = "not this still".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        s3.putObject(b -> b.bucket("taken").key("home/" + still), RequestBody.fromBytes(other));

        // as the units run it: every setting from the config file
        Path config = Program.config(dir, "dir=" + root, "s3-endpoint=" + proxy.endpoint(), "s3-bucket=taken",
                "s3-path-style=true", "s3-credentials=" + secret(), "s3-prefix=home");
        Program.Result run = Program.runJar("archive", "--config", config.toString());
        assertEquals(0, run.code(), run.stderr());
        assertEquals(List.of(9, 0, 1), counts(run));
        assertTrue(run.stderr().contains("WARN archive: the bucket holds other bytes under the key of " + still), run.stderr());
        assertArrayEquals(other, Files.readAllBytes(bucket.resolve("home/" + still)), "left alone");
        assertTrue(run.stderr().contains("9 of 10 stills archived"), run.stderr());
    }

    @Test
    void pruneArchivedOnlyNeverRemovesAStillNotArchived() throws Exception {
        Path root = stills(30, 5_000);
        proxy.bucket("retained");
        String conflicting = Trees.images(root).get(0);
        s3.putObject(b -> b.bucket("retained").key("home/" + conflicting), RequestBody.fromString("other"));
        assertEquals(0, archive(root, "retained", secret()).code());
        List<String> archived = Trees.images(root).stream().filter(s -> !s.equals(conflicting)).toList();
        List<String> late = List.of(ImageTrees.write(root, "porch", start().plus(Duration.ofHours(20)), random(5_000, 7)),
                ImageTrees.write(root, "porch", start().plus(Duration.ofHours(21)), random(5_000, 8)));

        Path config = Program.config(dir, "dir=" + root, "archived-only=true");
        Program.Result pruned = Program.runJar("prune", "--config", config.toString(), "--keep-days", "1");
        assertEquals(0, pruned.code(), pruned.stderr());
        List<String> left = Trees.images(root);
        assertTrue(left.contains(conflicting), "the still under a conflicting key stays: " + left);
        assertTrue(left.containsAll(late), "stills not yet archived stay: " + left);
        assertEquals(3, left.size(), pruned.stderr());
        archived.forEach(s -> assertFalse(Files.exists(root.resolve(s)), s));
        assertTrue(pruned.stderr().contains("3 not yet archived"), pruned.stderr());
        Program.Result gallery = Program.runJar("gallery", "--dir", root.toString());
        assertTrue(gallery.stderr().contains("gallery: 3 images of 1 camera"), "the gallery ignores .archived/: " + gallery.stderr());
    }

    private Program.Result archive(Path root, String bucket, Path credentials) throws Exception {
        return Program.runJar(args(root, bucket, credentials));
    }

    private String[] args(Path root, String bucket, Path credentials) {
        return new String[] {"archive", "--dir", root.toString(), "--s3-endpoint", proxy.endpoint(), "--s3-bucket", bucket,
            "--s3-path-style", "--s3-credentials", credentials.toString(), "--s3-prefix", "/home/"};
    }

    /** Copied, found already there, conflicts, from the summary line. */
    private static List<Integer> counts(Program.Result run) {
        Matcher m = SUMMARY.matcher(run.stderr());
        assertTrue(m.find(), run.stderr());
        return List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    private static void assertOneErrorLine(Program.Result run, String part) {
        List<String> errors = run.stderr().lines().filter(l -> l.startsWith("Error: ")).toList();
        assertEquals(1, errors.size(), run.stderr());
        assertTrue(errors.get(0).contains(part), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
    }

    /** {@code n} stills of random bytes, a minute apart, from two days ago. */
    private Path stills(int n, int bytes) throws Exception {
        Path root = dir.resolve("images");
        for (int i = 0; i < n; i++) {
            ImageTrees.write(root, "porch", start().plus(Duration.ofMinutes(i)), random(bytes, i));
        }
        return root;
    }

    private static Instant start() {
        return Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    }

    private static byte[] random(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path secret() throws Exception {
        return credentials("s3-credentials", "access-key=" + S3Proxy.ACCESS_KEY + "\nsecret-key=" + S3Proxy.SECRET_KEY + "\n");
    }

    private Path credentials(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, text);
    }

    /**
     * The objects of a bucket: key → identity and time of the file that holds it (a rewrite changes
     * them). Listed again when an upload's temporary vanishes during the walk.
     */
    private static Map<String, Object> objects(Path bucket) throws Exception {
        while (true) {
            Map<String, Object> objects = new HashMap<>();
            try (Stream<Path> files = Files.walk(bucket)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".jpg")).toList()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    objects.put(bucket.relativize(p).toString(), List.of(a.fileKey(), a.lastModifiedTime()));
                }
                return objects;
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException renamed) {
                // a temporary of an upload under way was renamed: list again
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, Program run) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < end && run.process().isAlive(), "not reached: " + run.stderr());
            Thread.sleep(20);
        }
    }
}
