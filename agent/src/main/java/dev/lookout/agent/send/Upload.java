package dev.lookout.agent.send;

import dev.lookout.agent.spool.StillId;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One still to send.
 *
 * @param imageId the same id for the same still on every try, so that the receiver stores it once
 */
public record Upload(String camera, long captureMillis, byte[] imageId, boolean clockUnsynced, byte[] jpeg) {
    /** A still as the spool keeps it. */
    public static Upload of(FrameReader.Frame frame) {
        FrameHeader h = frame.header();
        return new Upload(h.camera(), h.captureMillis(), h.imageId(), h.clockUnsynced(), frame.body());
    }

    /** A JPEG file: taken at its mtime; its id is the {@link StillId}, so a file sent twice (mtime unchanged) is stored once. */
    public static Upload ofFile(String camera, Path file) throws IOException {
        byte[] jpeg = Files.readAllBytes(file);
        long taken = Files.getLastModifiedTime(file).toMillis();
        return new Upload(camera, taken, StillId.of(taken, jpeg), false, jpeg);
    }
}
