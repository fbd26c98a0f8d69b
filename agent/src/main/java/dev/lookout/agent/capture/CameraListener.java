package dev.lookout.agent.capture;

/**
 * Told when a source is lost (it failed, ended, or gave no frame for the stall timeout) and when it
 * is back (it gave a frame again): once each, in turn, on the capture's threads — so keep it short.
 */
public interface CameraListener {
    /** The source is lost; {@code why} is the reason shown in {@code ctl status}. */
    void cameraLost(String why);

    /** The source gives frames again. */
    void cameraBack();
}
