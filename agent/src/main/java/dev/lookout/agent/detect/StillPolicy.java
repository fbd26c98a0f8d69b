package dev.lookout.agent.detect;

/**
 * Which stills of an event go out.
 *
 * @param mode        {@code FIRST}: the frame that started the event; {@code BEST}: the frame with the
 *                    largest change, when the event ends; {@code EVERY}: a frame with motion every
 *                    {@code everyMillis}, up to {@code maxStills}
 * @param everyMillis for {@code EVERY}: least time between two stills
 * @param maxStills   at most this many stills per event (the pre-capture frame included)
 * @param preCapture  also the last frame without motion before the event, to show what was there before
 */
public record StillPolicy(Mode mode, long everyMillis, int maxStills, boolean preCapture) {
    public enum Mode { FIRST, BEST, EVERY }

    public static final StillPolicy DEFAULT = new StillPolicy(Mode.EVERY, 2000, 5, false);
}
