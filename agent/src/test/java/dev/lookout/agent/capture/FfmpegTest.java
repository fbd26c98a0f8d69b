package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ffmpeg command lines; the V4L2 one was not run against a physical camera here (docs/AGENT.md says what to check). */
class FfmpegTest {
    private static final List<String> START = List.of("ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error",
            "-nostdin", "-threads", "1");
    private static final List<String> CAMERA = List.of("ffmpeg", "-hide_banner", "-nostats", "-loglevel", "info",
            "-nostdin", "-threads", "1");
    private static final List<String> COPY = List.of("-map", "0:v:0", "-c:v", "copy", "-flush_packets", "1",
            "-f", "mjpeg", "pipe:1");

    /** The one output: frames encoded at {@code fps}. */
    private static List<String> encoded(String fps) {
        return List.of("-map", "0:v:0", "-vf", "fps=" + fps, "-c:v", "mjpeg", "-q:v", "3", "-flush_packets", "1",
                "-f", "mjpeg", "pipe:1");
    }

    @Test
    void aCameraThatOffersMjpegHasItsJpegsCopied() {
        assertEquals(join(CAMERA, List.of("-f", "v4l2", "-input_format", "mjpeg", "-video_size", "640x480",
                "-framerate", "5", "-i", "/dev/video0"), COPY),
                Ffmpeg.v4l2("/dev/video0", new Dimension(640, 480), 5, true));
    }

    @Test
    void aCameraWithRawFormatsOnlyIsReducedToTheFrameRateAndEncoded() {
        assertEquals(join(CAMERA, List.of("-f", "v4l2", "-video_size", "1280x720", "-framerate", "2.5",
                "-i", "/dev/video2"), encoded("2.5")),
                Ffmpeg.v4l2("/dev/video2", new Dimension(1280, 720), 2.5, false));
    }

    /** Lines of ffmpeg 5.1's log for an MJPEG and a raw camera: the first stream line is the input's. */
    @Test
    void tellsWhatTheCameraDelivers() {
        String mjpeg = "  Stream #0:0: Video: mjpeg (Baseline), yuvj422p(pc, bt470bg/unknown/unknown), 1280x720, 10 fps,"
                + " 10 tbr, 1000k tbn";
        String raw = "  Stream #0:0: Video: rawvideo (YUY2 / 0x32595559), yuyv422, 640x480, 147456 kb/s, 30 fps, 30 tbr,"
                + " 1000k tbn";
        assertTrue(Ffmpeg.streamLine(mjpeg));
        assertFalse(Ffmpeg.streamLine("  Stream #0:0 -> #0:0 (copy)"));
        assertEquals("1280x720 at 10 fps, yuvj422p (MJPEG)", Ffmpeg.delivered(mjpeg));
        assertEquals("640x480 at 30 fps, yuyv422 (raw)", Ffmpeg.delivered(raw));
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
    void networkCamerasOtherThanMjpegOverHttpAreEncodedWithTimeouts() {
        assertEquals(join(START, List.of("-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/1"), encoded("5")),
                Ffmpeg.url("rtsp://cam/1", 5));
    }

    @Test
    void videoFilesAreResampledToTheFrameRate() {
        assertEquals(join(START, List.of("-i", "clip.mp4"), encoded("10")), Ffmpeg.file("clip.mp4", 10, "h264,25/1\n"));
        assertEquals(join(START, List.of("-i", "clip.avi"), encoded("10")), Ffmpeg.file("clip.avi", 10, "mjpeg,5/1\n"));
    }

    @Test
    void motionJpegFilesAtTheFrameRateHaveTheirJpegsCopied() {
        assertEquals(join(START, List.of("-i", "clip.avi"), COPY), Ffmpeg.file("clip.avi", 5, "mjpeg,5/1\n"));
        assertEquals(join(START, List.of("-i", "clip.avi"), COPY), Ffmpeg.file("clip.avi", 7.5, "mjpeg,15/2\n"));
    }

    @Test
    void jpegsAreDecodedAtTheSmallestScaleStillWideEnoughForTheSmallPicture() {
        assertEquals(0, SmallDecoder.lowres(160, 240));
        assertEquals(1, SmallDecoder.lowres(160, 320));
        assertEquals(1, SmallDecoder.lowres(160, 480));
        assertEquals(2, SmallDecoder.lowres(160, 768));
        assertEquals(3, SmallDecoder.lowres(160, 1920));
        assertEquals(3, SmallDecoder.lowres(160, 4096));
    }

    private static List<String> join(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static List<String> join(List<String> a, List<String> b, List<String> c) {
        return join(join(a, b), c);
    }
}
