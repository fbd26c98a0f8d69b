package dev.lookout.agent.detect;

/**
 * How change is judged.
 *
 * @param planeWidth        width of the luma plane detection works on; frames are box-averaged down to about this
 * @param pixelThreshold    least grey-level difference that counts as a changed pixel (0–255)
 * @param noiseFactor       the per-pixel threshold is at least this many times the measured sensor noise (σ)
 * @param areaPercent       a frame has motion when at least this share of the watched area changed
 * @param maxAreaPercent    a change over this share is a global change (light switch, IR-cut, exposure jump): re-baseline, not motion
 * @param backgroundRate    how fast the background follows unchanged pixels, per frame (0–1)
 * @param absorbAfterMillis a changed pixel that has stopped changing joins the background after this long (0: never)
 * @param smartMask         learn the pixels that change most of the time (leaves, water) and ignore them until they calm down
 */
public record DetectionSettings(int planeWidth, int pixelThreshold, double noiseFactor, double areaPercent,
                                double maxAreaPercent, double backgroundRate, long absorbAfterMillis, boolean smartMask) {
    public static final DetectionSettings DEFAULTS = new DetectionSettings(160, 10, 4.0, 0.5, 50.0, 0.05, 10_000, false);

    /** These settings with the smart mask on or off. */
    public DetectionSettings withSmartMask(boolean on) {
        return new DetectionSettings(planeWidth, pixelThreshold, noiseFactor, areaPercent, maxAreaPercent, backgroundRate,
                absorbAfterMillis, on);
    }
}
