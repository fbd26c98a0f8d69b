/**
 * Where frames come from: the {@code --source} kinds as a webcam-capture driver (files, pipes, ffmpeg,
 * HTTP cameras, V4L2 through ffmpeg, the synthetic scene), the MJPEG cutter, and the small grey picture
 * detection looks at (the JPEG decoder). Uses no other agent package.
 */
package dev.lookout.agent.capture;
