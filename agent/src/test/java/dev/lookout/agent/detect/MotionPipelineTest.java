package dev.lookout.agent.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MotionPipelineTest {
    private static final int W = 320;
    private static final int H = 240;

    /** A person crossing from frame 20 (first in view in 21), 5 fps. */
    private static SyntheticScene person() {
        return SyntheticScene.builder(W, H).frames(100).object(20, 8, 40, 80).build();
    }

    private static List<Still> stills(StillPolicy policy, SyntheticScene scene) {
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), policy, stills::add);
        Frame frame;
        while ((frame = scene.next()) != null) {
            pipeline.accept(frame, 1);
        }
        pipeline.finish();
        return stills;
    }

    @Test
    void firstSendsTheFrameThatStartedTheEventAndThePreCapture() {
        List<Still> stills = stills(new StillPolicy(StillPolicy.Mode.FIRST, 0, 5, true), person());
        assertEquals(2, stills.size());
        assertTrue(stills.get(0).preCapture());
        assertEquals(20, stills.get(0).frame().index(), "the last frame before the person appeared");
        assertEquals(22, stills.get(1).frame().index(), "motion in 21 and 22 starts the event");
        assertEquals(1, stills.get(1).eventId());
    }

    @Test
    void everySendsAtMostMaxStillsAtLeastTheIntervalApart() {
        List<Still> stills = stills(new StillPolicy(StillPolicy.Mode.EVERY, 1000, 4, false), person());
        assertEquals(4, stills.size());
        for (int i = 1; i < stills.size(); i++) {
            assertTrue(stills.get(i).frame().captureMillis() - stills.get(i - 1).frame().captureMillis() >= 1000);
        }
    }

    @Test
    void bestSendsTheLargestChangeWhenTheEventEnds() {
        List<Still> stills = stills(new StillPolicy(StillPolicy.Mode.BEST, 0, 5, false), person());
        assertEquals(1, stills.size());
        assertTrue(stills.get(0).changedPercent() > 3, "area " + stills.get(0).changedPercent());
    }

    /**
     * A parcel left at the door opens an event; while it waits to become background, a visitor
     * walks by: the visitor gets the stills, and the event ends once nothing moves.
     */
    @Test
    void aParcelLeftDoesNotSpendTheStillsOfTheNextVisitor() {
        SyntheticScene scene = SyntheticScene.builder(W, H).frames(200).block(20, 200, 150, 40, 30).object(45, 8, 40, 80).build();
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), new StillPolicy(StillPolicy.Mode.EVERY, 2000, 5, false), stills::add);
        List<Integer> events = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            events.add(pipeline.accept(frame, 1).eventId());
        }
        pipeline.finish();
        assertEquals(1, events.get(22), "the parcel opens an event");
        List<Long> visitor = stills.stream().map(still -> still.frame().index()).filter(i -> i > 45 && i < 92).toList();
        assertTrue(visitor.size() >= 3, "stills of frames " + stills.stream().map(still -> still.frame().index()).toList());
        // the visitor is gone by frame 92: absorb-after (10 s) and event-gap (3 s) later, no event
        assertEquals(List.of(0), events.subList(92 + 65, 200).stream().distinct().toList());
    }

    /** A camera that comes back while something stands where it did not before: no motion, no event. */
    @Test
    void aReconnectReBaselinesInsteadOfReportingMotion() {
        List<Boolean> withReconnect = motionAcrossReconnect(true);
        List<Boolean> withoutReconnect = motionAcrossReconnect(false);
        assertTrue(withoutReconnect.contains(true), "the control must see the change");
        assertEquals(List.of(), withReconnect.stream().filter(m -> m).toList());
    }

    private static List<Boolean> motionAcrossReconnect(boolean newGeneration) {
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), StillPolicy.DEFAULT, still -> { });
        List<Boolean> motion = new ArrayList<>();
        SyntheticScene before = SyntheticScene.builder(W, H).frames(20).seed(3).build();
        SyntheticScene after = SyntheticScene.builder(W, H).frames(20).seed(3).block(0, 100, 60, 50, 100).build();
        Frame frame;
        while ((frame = before.next()) != null) {
            motion.add(pipeline.accept(frame, 1).motion());
        }
        while ((frame = after.next()) != null) {
            motion.add(pipeline.accept(frame, newGeneration ? 2 : 1).motion());
        }
        return motion;
    }

    /** Disarmed in the middle of an event: the event ends with its still, and re-arming is a new baseline. */
    @Test
    void pausingEndsTheEventAndReBaselines() {
        List<Still> stills = new ArrayList<>();
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), new StillPolicy(StillPolicy.Mode.BEST, 0, 5, false), stills::add);
        SyntheticScene walking = person();
        Frame frame;
        int event = 0;
        while ((frame = walking.next()) != null && frame.index() < 30) {
            event = pipeline.accept(frame, 1).eventId();
        }
        assertEquals(1, event);
        pipeline.pause();
        assertEquals(1, stills.size(), "the best still of the interrupted event");
        SyntheticScene changed = SyntheticScene.builder(W, H).frames(20).seed(3).block(0, 100, 60, 50, 100).build();
        List<Integer> events = new ArrayList<>();
        while ((frame = changed.next()) != null) {
            events.add(pipeline.accept(frame, 1).eventId());
        }
        assertEquals(List.of(0), events.stream().distinct().toList(), "no event from what changed while paused");
        assertEquals(1, stills.size());
    }
}
