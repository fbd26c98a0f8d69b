package dev.lookout.agent.spool;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One still in the one form it has from birth to acknowledgement: a clear frame ({@link
 * FrameWriter#clear}), its header and JPEG in one array, the bytes the spool keeps and the wire
 * carries without a key. It is made once, where the still is born ({@link #of}, {@link #ofFile}),
 * with one SHA-256 pass over the JPEG that gives both the header's digest and the {@link StillId};
 * read back from the spool ({@link #read}) only its header is decoded, and sending it hashes nothing.
 *
 * @param header the frame's header (unencrypted)
 * @param frame  the header's bytes followed by the JPEG
 */
public record Upload(FrameHeader header, byte[] frame) {
    /** A still taken at {@code captureMillis}. */
    public static Upload of(String camera, long captureMillis, boolean clockUnsynced, byte[] jpeg) {
        byte[] digest = FrameWriter.sha256(jpeg);
        FrameHeader header = FrameWriter.header(camera, captureMillis, StillId.of(captureMillis, digest), clockUnsynced,
                jpeg.length, digest);
        return new Upload(header, FrameWriter.clear(header, jpeg));
    }

    /** A JPEG file: taken at its mtime, so a file sent twice (mtime unchanged) is one still and stored once. */
    public static Upload ofFile(String camera, Path file) throws IOException {
        byte[] jpeg = Files.readAllBytes(file);
        return of(camera, Files.getLastModifiedTime(file).toMillis(), false, jpeg);
    }

    /**
     * A still as the spool keeps it: the header is decoded and the length checked, the JPEG is not
     * looked at (the receiver checks its digest).
     *
     * @throws ProtocolException when {@code bytes} are no clear frame of one whole image
     */
    public static Upload read(byte[] bytes) throws ProtocolException {
        int headerLength = FrameHeader.headerLength(Arrays.copyOf(bytes, FrameHeader.FIXED_BYTES));
        FrameHeader header = FrameHeader.decode(Arrays.copyOf(bytes, Math.min(headerLength, bytes.length)));
        if (header.encrypted() || (long) headerLength + header.length() != bytes.length) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, (header.encrypted() ? "sealed" : "cut")
                    + " frame: " + bytes.length + " bytes for an image of " + header.length());
        }
        return new Upload(header, bytes);
    }
}
