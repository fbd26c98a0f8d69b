package dev.lookout.agent.detect;

import dev.lookout.agent.capture.Frame;

/**
 * A frame chosen to be sent.
 *
 * @param camera         the camera's name, as the receiver files it
 * @param frame          the frame, with its capture time and, where the camera gave them, its JPEG bytes
 * @param eventId        the event it belongs to, from 1
 * @param changedPercent how much of the watched area had changed in it
 * @param preCapture     it is the frame from before the event started
 */
public record Still(String camera, Frame frame, int eventId, double changedPercent, boolean preCapture) {
}
