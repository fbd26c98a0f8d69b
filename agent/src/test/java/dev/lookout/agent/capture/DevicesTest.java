package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of 'devices' from a UVC camera's listings, in the form ffmpeg 5.1 ({@code -list_formats
 * all}) and v4l2-ctl 1.22 ({@code --list-formats-ext}) print them: what ffmpeg cannot capture is left out.
 */
class DevicesTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = DevicesTest.class.getResourceAsStream("/devices/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void listsWhatCanBeCapturedWithSizesAndFrameRates() throws IOException {
        List<String> rows = Devices.formats(resource("uvc-ffmpeg.txt"), resource("uvc-v4l2-ctl.txt")).stream()
                .map(Devices.Format::row).toList();
        assertEquals(List.of(
                "  mjpeg      MJPEG   640x480 at 30/15 fps, 320x240 at 30 fps, 1280x720 at 10/7.5 fps",
                "  yuyv422    raw     640x480 at 30 fps, 320x240 at 30 fps, 1280x720 at 5 fps"), rows);
    }

    @Test
    void withoutV4l2CtlTheSizesFfmpegListsAreShown() throws IOException {
        List<String> rows = Devices.formats(resource("uvc-ffmpeg.txt"), "").stream().map(Devices.Format::row).toList();
        assertEquals(List.of("  mjpeg      MJPEG   640x480, 320x240, 1280x720",
                "  yuyv422    raw     640x480, 320x240, 1280x720"), rows);
    }

    @Test
    void aNodeWithoutCaptureFormatsHasNone() {
        assertEquals(List.of(), Devices.formats("/dev/video1: Inappropriate ioctl for device\n", ""));
    }
}
