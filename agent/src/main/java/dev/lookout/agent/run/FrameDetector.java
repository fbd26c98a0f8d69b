package dev.lookout.agent.run;

import com.github.sarxos.webcam.Webcam;
import com.github.sarxos.webcam.WebcamMotionDetector;
import com.github.sarxos.webcam.WebcamMotionDetectorAlgorithm;
import com.github.sarxos.webcam.WebcamMotionEvent;
import com.github.sarxos.webcam.WebcamMotionListener;

/**
 * webcam-capture's motion detector, asked once per new frame instead of on its own timer: its
 * {@code detect()} takes the webcam's image, runs the algorithm's {@code filter} and {@code detect}
 * and tells its {@link WebcamMotionListener}s of motion. (Its own timer polls at 100 ms or more, out
 * of step with the camera, and reports only frames with motion; events need every frame.)
 */
final class FrameDetector extends WebcamMotionDetector implements WebcamMotionListener {
    /** Its own timer is never started, so its interval is never used. */
    private static final int UNUSED_INTERVAL = 100;

    private boolean motion;

    FrameDetector(Webcam webcam, WebcamMotionDetectorAlgorithm algorithm) {
        super(webcam, algorithm, UNUSED_INTERVAL);
        addMotionListener(this);
    }

    /** Judges the webcam's current image: whether the algorithm found motion in it. */
    boolean judge() {
        motion = false;
        detect();
        return motion;
    }

    @Override
    public void motionDetected(WebcamMotionEvent event) {
        motion = true;
    }
}
