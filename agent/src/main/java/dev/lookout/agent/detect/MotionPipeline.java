package dev.lookout.agent.detect;

import dev.lookout.agent.capture.Frame;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;

/**
 * Detection around the algorithm: frames in, stills out. Runs the algorithm on each frame, turns
 * motion into events, picks stills by the {@link StillPolicy}, and re-baselines when the source
 * reconnected (a new generation), so that a camera coming back is never reported as motion.
 */
public final class MotionPipeline {
    private final String camera;
    private final LumaMotionAlgorithm algorithm;
    private final EventTracker events;
    private final StillPolicy policy;
    private final Consumer<Still> sink;
    private BufferedImage previousPlane;
    private Frame lastQuiet;
    private int generation = -1;
    private int event;
    private int sent;
    private boolean motionStillSent;
    private long lastStill;
    private Still best;

    public MotionPipeline(String camera, LumaMotionAlgorithm algorithm, EventTracker events, StillPolicy policy,
                          Consumer<Still> sink) {
        this.camera = camera;
        this.algorithm = algorithm;
        this.events = events;
        this.policy = policy;
        this.sink = sink;
    }

    /** The algorithm that judges the frames (webcam-capture's motion detector may run it). */
    public LumaMotionAlgorithm algorithm() {
        return algorithm;
    }

    /** What one frame gave. */
    public record Result(boolean motion, int eventId, double changedPercent) {
    }

    /** Feeds one frame from the given source generation: the algorithm judges its picture for detection. */
    public Result accept(Frame frame, int sourceGeneration) {
        newGeneration(sourceGeneration);
        BufferedImage plane = algorithm.filter(frame.detectionImage());
        algorithm.clock(frame.captureMillis());
        boolean motion = algorithm.detect(previousPlane, plane);
        previousPlane = plane;
        return judged(frame, motion);
    }

    /**
     * Before the algorithm judges a frame of the given source generation elsewhere (in webcam-capture's
     * motion detector): the first frame of a new generation is a new baseline.
     */
    public void newGeneration(int sourceGeneration) {
        if (sourceGeneration != generation) {
            generation = sourceGeneration;
            algorithm.reset();
            lastQuiet = null;
        }
    }

    /** A frame the algorithm has just judged ({@code motion}): events and stills follow from it. */
    public Result judged(Frame frame, boolean motion) {
        double area = algorithm.getArea();
        int id = events.update(motion, frame.captureMillis());
        if (id != event) {
            endEvent();
            if (id != 0) {
                startEvent(id);
            }
        }
        if (event != 0 && motion && algorithm.moving()) {
            // a still shows something moving, not a parcel waiting to become background
            choose(new Still(camera, frame, event, area, false));
        }
        if (!motion) {
            lastQuiet = frame;
        }
        return new Result(motion, id, area);
    }

    /** Ends the stream: an event still open gives its best still, if that is the policy. */
    public void finish() {
        endEvent();
    }

    /**
     * Detection stops for a while (disarmed): an open event ends (giving its best still, if that is
     * the policy), and the next frame is a new baseline, as the scene may have changed meanwhile.
     */
    public void pause() {
        endEvent();
        events.end();
        generation = Integer.MIN_VALUE;
        previousPlane = null;
    }

    private void startEvent(int id) {
        event = id;
        sent = 0;
        motionStillSent = false;
        best = null;
        if (policy.preCapture() && lastQuiet != null) {
            emit(new Still(camera, lastQuiet, id, 0, true));
        }
    }

    private void endEvent() {
        if (event != 0 && best != null) {
            emit(best);
        }
        event = 0;
        best = null;
    }

    private void choose(Still still) {
        switch (policy.mode()) {
            case FIRST -> {
                if (!motionStillSent) {
                    emit(still);
                }
            }
            case BEST -> {
                if (best == null || still.changedPercent() > best.changedPercent()) {
                    best = still;
                }
            }
            case EVERY -> {
                if (!motionStillSent || still.frame().captureMillis() - lastStill >= policy.everyMillis()) {
                    emit(still);
                }
            }
        }
    }

    private void emit(Still still) {
        if (sent < policy.maxStills()) {
            sent++;
            if (!still.preCapture()) {
                motionStillSent = true;
                lastStill = still.frame().captureMillis();
            }
            sink.accept(still);
        }
    }
}
