package dev.lookout.receiver.ingest;

import dev.lookout.protocol.ImageCipher;
import java.time.Duration;

/**
 * What a connection may do.
 *
 * @param cipher      the pre-shared key's cipher; {@code null} when no key is configured
 * @param allowRaw    whether unframed JPEG uploads are accepted
 * @param maxBytes    the largest image accepted
 * @param idleTimeout the longest wait for the client's next bytes
 * @param deadline    the longest a whole connection may take
 */
public record IngestPolicy(ImageCipher cipher, boolean allowRaw, long maxBytes, Duration idleTimeout,
                           Duration deadline) {
}
