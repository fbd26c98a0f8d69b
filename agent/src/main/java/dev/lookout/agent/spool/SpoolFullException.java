package dev.lookout.agent.spool;

import java.io.IOException;

/** The spool's disk has no room (or no inode) left for another still: what waits must be sent first. */
public final class SpoolFullException extends IOException {
    SpoolFullException(String message, IOException cause) {
        super(message, cause);
    }
}
