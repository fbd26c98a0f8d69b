package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ffmpeg command lines; the V4L2 one was not run against a physical camera here (docs/AGENT.md says what to check). */
class FfmpegTest {
    private static final List<String> START = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
            "-threads", "1");
    private static final Ffmpeg.Small SMALL = new Ffmpeg.Small(160, 640, Path.of("/run/small.sock"));

    /** The JPEG output with {@code jpeg}'s codec options, then the small grey output after {@code filters}. */
    private static List<String> outputs(List<String> jpeg, String filters) {
        List<String> outputs = new java.util.ArrayList<>(List.of("-map", "0:v:0"));
        outputs.addAll(jpeg);
        outputs.addAll(List.of("-flush_packets", "1", "-f", "mjpeg", "pipe:1", "-map", "0:v:0", "-vf",
                filters + "scale=160:-2:flags=area,format=gray", "-fps_mode", "passthrough", "-flush_packets", "1",
                "-f", "yuv4mpegpipe", "unix:/run/small.sock"));
        return outputs;
    }

    @Test
    void aCameraThatOffersMjpegHasItsJpegsCopied() {
        assertEquals(join(START, List.of("-f", "v4l2", "-input_format", "mjpeg", "-lowres", "2", "-video_size", "640x480",
                "-framerate", "5", "-i", "/dev/video0"), outputs(List.of("-c:v", "copy"), "")),
                Ffmpeg.v4l2("/dev/video0", new Dimension(640, 480), 5, true, SMALL));
    }

    @Test
    void aCameraWithRawFormatsOnlyIsEncoded() {
        assertEquals(join(START, List.of("-f", "v4l2", "-video_size", "1280x720", "-framerate", "2.5",
                "-i", "/dev/video2"), outputs(List.of("-c:v", "mjpeg", "-q:v", "3"), "")),
                Ffmpeg.v4l2("/dev/video2", new Dimension(1280, 720), 2.5, false, SMALL));
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
        assertEquals(join(START, List.of("-rw_timeout", "5000000", "-lowres", "2", "-i", "http://cam/video.mjpg"),
                outputs(List.of("-c:v", "copy"), "")), Ffmpeg.url("http://cam/video.mjpg", 5, SMALL));
        assertEquals(join(START, List.of("-rtsp_transport", "tcp", "-timeout", "5000000", "-i", "rtsp://cam/1"),
                outputs(List.of("-vf", "fps=5", "-c:v", "mjpeg", "-q:v", "3"), "fps=5,")), Ffmpeg.url("rtsp://cam/1", 5, SMALL));
    }

    @Test
    void videoFilesAreResampledToTheFrameRate() {
        assertEquals(join(START, List.of("-i", "clip.mp4"), outputs(List.of("-vf", "fps=10", "-c:v", "mjpeg", "-q:v", "3"),
                "fps=10,")), Ffmpeg.file("clip.mp4", 10, SMALL));
    }

    @Test
    void jpegsAreDecodedAtTheSmallestScaleStillWideEnoughForTheSmallPicture() {
        assertEquals(0, new Ffmpeg.Small(160, 240, SMALL.socket()).lowres());
        assertEquals(1, new Ffmpeg.Small(160, 320, SMALL.socket()).lowres());
        assertEquals(1, new Ffmpeg.Small(160, 480, SMALL.socket()).lowres());
        assertEquals(2, new Ffmpeg.Small(160, 768, SMALL.socket()).lowres());
        assertEquals(3, new Ffmpeg.Small(160, 1920, SMALL.socket()).lowres());
        assertEquals(3, new Ffmpeg.Small(160, 4096, SMALL.socket()).lowres());
    }

    private static List<String> join(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static List<String> join(List<String> a, List<String> b, List<String> c) {
        return join(join(a, b), c);
    }
}
