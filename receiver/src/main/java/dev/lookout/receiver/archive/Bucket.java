package dev.lookout.receiver.archive;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket, through the AWS SDK's S3 client (this is the only class that uses it, so that the SDK
 * is loaded by the archive command alone, never by a receiver serving a connection). Objects are
 * only ever created, never replaced ({@code If-None-Match: *}); each goes with its
 * {@code Content-MD5}, which the store checks before it keeps the object, and counts as copied
 * when the store's answer confirms it (its ETag is the MD5, or a HEAD shows our SHA-256 and size).
 * The SDK's own CRC checksums are sent only where an operation requires them: several
 * S3-compatible stores refuse them on a plain upload.
 */
final class Bucket implements AutoCloseable {
    private static final int ATTEMPTS = 3;
    /** What became of a still. */
    enum Outcome { COPIED, ALREADY_THERE, CONFLICT }


    static final String SHA256 = "sha256";
    static final String CAPTURE_TIME = "capture-time";

    private final S3Client s3;
    private final Target target;

    Bucket(Target target, Credentials credentials) {
        this.target = target;
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(target.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey())))
                .forcePathStyle(target.pathStyle())
                // The JDK's HTTP client handles 'Expect: 100-continue' poorly: a body it then writes
                // fails now and then ("Error writing request body"), and the SDK sends it again.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // retried here, after a look at what the store kept (see put)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (target.endpoint() != null) {
            builder.endpointOverride(target.endpoint());
        }
        this.s3 = builder.build();
    }

    /**
     * Asks the store for one key of the prefix: a request without a body, whose refusal the store
     * explains (wrong credentials, no such bucket, wrong region, this machine's clock). An upload
     * refused before its body was read only shows as a broken connection in the JDK's HTTP client.
     */
    void check() throws Failure {
        try {
            s3.listObjectsV2(b -> b.bucket(target.bucket()).prefix(target.prefix()).maxKeys(1));
        } catch (SdkException e) {
            throw StoreErrors.failure(e, target);
        }
    }

    /**
     * Creates the object of the still at {@code relative} unless one is there; says what happened.
     * Tries three times when the connection breaks or the store is busy. A broken connection is
     * looked into before the still goes again: the JDK's HTTP client now and then reports a body as
     * not written that the store has kept, and sending it again would only be refused.
     */
    Outcome put(String relative, Path file, Digest digest, long captureMillis) throws Failure {
        String key = target.key(relative);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(target.bucket()).key(key)
                .contentType("image/jpeg").contentLength(digest.bytes()).contentMD5(digest.md5Base64())
                .ifNoneMatch("*")
                .metadata(Map.of(CAPTURE_TIME, Instant.ofEpochMilli(captureMillis).toString(), SHA256, digest.sha256()));
        if (target.storageClass() != null) {
            request.storageClass(target.storageClass());
        }
        for (int attempt = 1; ; attempt++) {
            SdkException failed;
            try {
                PutObjectResponse response = s3.putObject(request.build(), RequestBody.fromFile(file));
                if (digest.matchesEtag(response.eTag()) || holds(key, digest)) {
                    return Outcome.COPIED;
                }
                throw new Failure(Sysexit.TEMPFAIL, target + " took " + key + " but does not confirm its bytes");
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) { // already there (or being written by another run)
                    return holds(key, digest) ? Outcome.ALREADY_THERE : Outcome.CONFLICT;
                }
                if (e.statusCode() < 500 && e.statusCode() != 429) {
                    throw StoreErrors.failure(e, target);
                }
                failed = e;
            } catch (SdkClientException e) {
                if (holds(key, digest)) {
                    return Outcome.COPIED;
                }
                failed = e;
            }
            if (attempt == ATTEMPTS) {
                throw StoreErrors.failure(failed, target);
            }
            pause(attempt);
        }
    }

    /** Whether the object at {@code key} holds the still {@code digest} describes; false when there is none. */
    private boolean holds(String key, Digest digest) throws Failure {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(target.bucket()).key(key));
            return head.contentLength() == digest.bytes()
                    && (digest.sha256().equals(head.metadata().get(SHA256)) || digest.matchesEtag(head.eTag()));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw StoreErrors.failure(e, target);
        }
    }

    private static void pause(int attempt) throws Failure {
        try {
            Thread.sleep(250L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Sysexit.TEMPFAIL, "interrupted");
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
