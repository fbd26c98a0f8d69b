package dev.lookout.receiver.ingest;

import dev.lookout.protocol.CameraName;
import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.Reply;
import dev.lookout.receiver.net.Peer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened on one connection, gathered while serving and logged after the client has its
 * answer (a logger's start-up then costs the client nothing).
 */
public final class ConnectionReport {
    private final Peer peer;
    private final long startNanos = System.nanoTime();
    private final List<String> lines = new ArrayList<>();
    private ErrorCode worst;
    private int stored;
    private long bytes;
    private long millis;

    ConnectionReport(Peer peer) {
        this.peer = peer;
    }

    String peerFolder() {
        return peer.folder();
    }

    void image(String camera, long size, Reply reply, long elapsedMillis) {
        String who = camera == null ? "" : " camera=" + (CameraName.isValid(camera) ? camera : "(invalid)");
        if (reply.isOk()) {
            stored++;
            bytes += size;
            lines.add("stored peer=" + peer.display() + who + " bytes=" + size + " path=" + reply.text()
                    + " ms=" + elapsedMillis);
        } else {
            failed(reply.code(), reply.text(), "refused peer=" + peer.display() + who + " bytes=" + size
                    + " error=" + reply.code().token() + " reason=\"" + reply.text() + "\" ms=" + elapsedMillis);
        }
    }

    void failed(ErrorCode code, String reason) {
        failed(code, reason, "connection peer=" + peer.display() + " error=" + code.token() + " reason=\"" + reason + "\"");
    }

    private void failed(ErrorCode code, String reason, String line) {
        lines.add(line);
        if (worst == null || severity(code) > severity(worst)) {
            worst = code;
        }
    }

    ConnectionReport finish() {
        millis = (System.nanoTime() - startNanos) / 1_000_000;
        return this;
    }

    /** The most serious error on this connection, or {@code null} when every image was stored. */
    public ErrorCode worst() {
        return worst;
    }

    public int stored() {
        return stored;
    }

    /** Writes one line per image and one for the connection. */
    public void log() {
        Logger log = LoggerFactory.getLogger("lookout.receiver");
        for (String line : lines) {
            if (line.startsWith("stored")) {
                log.info(line);
            } else {
                log.warn(line);
            }
        }
        log.info("closed peer={} images={} bytes={} ms={}{}", peer.display(), stored, bytes, millis,
                worst == null ? "" : " worst=" + worst.token());
    }

    /** Authentication failures outrank storage failures, which outrank bad data. */
    private static int severity(ErrorCode code) {
        return switch (code) {
            case AUTH -> 3;
            case FULL, IO -> 2;
            default -> 1;
        };
    }
}
