package dev.lookout.agent.support;

import dev.lookout.agent.spool.Upload;
import java.util.Arrays;

/** What tests look at in a still's frame. */
public final class Frames {
    private Frames() {
    }

    /** The JPEG a still's clear frame carries (a copy). */
    public static byte[] jpeg(Upload still) {
        byte[] frame = still.frame();
        return Arrays.copyOfRange(frame, frame.length - still.header().length(), frame.length);
    }
}
