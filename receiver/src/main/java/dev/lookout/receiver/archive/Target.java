package dev.lookout.receiver.archive;

import java.net.URI;

/**
 * Where stills are archived: a bucket of an S3-compatible store, and the prefix their keys start
 * with. An object's key is the still's path under the image root after the prefix:
 * {@code <prefix>/<camera>/<YYYY-MM-DD>/<HH-MM-SS.mmm>.jpg}.
 *
 * @param endpoint     the store's URL; {@code null} for AWS S3 (from the region)
 * @param prefix       without leading or trailing slashes; empty for none
 * @param pathStyle    {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 * @param storageClass {@code null} for the bucket's default
 */
public record Target(URI endpoint, String region, String bucket, String prefix, boolean pathStyle, String storageClass) {
    public Target {
        prefix = strip(prefix == null ? "" : prefix);
    }

    /** The object key of the still at {@code relative} ({@code camera/day/name}) under the root. */
    public String key(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** {@code s3://bucket/prefix} and, for other stores than AWS, the endpoint: for messages. */
    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + (endpoint == null ? "" : " at " + endpoint);
    }

    private static String strip(String prefix) {
        int from = 0;
        int to = prefix.length();
        while (from < to && prefix.charAt(from) == '/') {
            from++;
        }
        while (to > from && prefix.charAt(to - 1) == '/') {
            to--;
        }
        return prefix.substring(from, to);
    }
}
