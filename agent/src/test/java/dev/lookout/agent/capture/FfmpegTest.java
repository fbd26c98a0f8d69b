package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ffmpeg command lines; the V4L2 one was not run against a physical camera here (docs/AGENT.md says what to check). */
class FfmpegTest {
    private static final List<String> START = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin");

    @Test
    void aCameraThatOffersMjpegHasItsJpegsCopied() {
        assertEquals(join(START, List.of("-f", "v4l2", "-input_format", "mjpeg", "-video_size", "640x480", "-framerate", "5",
                "-i", "/dev/video0", "-c:v", "copy", "-f", "mjpeg", "pipe:1")),
                Ffmpeg.v4l2("/dev/video0", new Dimension(640, 480), 5, true));
    }

    @Test
    void aCameraWithRawFormatsOnlyIsEncoded() {
        assertEquals(join(START, List.of("-f", "v4l2", "-video_size", "1280x720", "-framerate", "2.5",
                "-i", "/dev/video2", "-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg", "pipe:1")),
                Ffmpeg.v4l2("/dev/video2", new Dimension(1280, 720), 2.5, false));
    }

    @Test
    void readsTheFormatListing() {
        String uvc = """
                [video4linux2,v4l2 @ 0x55] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 320x240
                [video4linux2,v4l2 @ 0x55] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720
                """;
        assertTrue(Ffmpeg.offersMjpeg(uvc));
        assertFalse(Ffmpeg.offersMjpeg(uvc.lines().findFirst().orElseThrow()));
    }

    @Test
    void summarisesTheFormatsForTheDevicesCommand() {
        String uvc = """
                [video4linux2,v4l2 @ 0x55] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 320x240
                [video4linux2,v4l2 @ 0x55] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720
                /dev/video0: Immediate exit requested
                """;
        assertEquals(List.of("yuyv422 (raw): 640x480 320x240", "mjpeg (compressed): 640x480 1280x720"), Ffmpeg.formats(uvc));
    }

    @Test
    void networkCamerasHaveTimeoutsAndHttpMjpegIsCopied() {
        assertEquals(join(START, List.of("-rw_timeout", "5000000", "-i", "http://cam/video.mjpg", "-c:v", "copy", "-f",
                "mjpeg", "pipe:1")), Ffmpeg.url("http://cam/video.mjpg", 5));
        assertEquals(join(START, List.of("-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/1",
                "-vf", "fps=5", "-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg", "pipe:1")), Ffmpeg.url("rtsp://cam/1", 5));
    }

    @Test
    void videoFilesAreResampledToTheFrameRate() {
        assertEquals(join(START, List.of("-i", "clip.mp4", "-vf", "fps=10", "-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg",
                "pipe:1")), Ffmpeg.file("clip.mp4", 10));
    }

    private static List<String> join(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
