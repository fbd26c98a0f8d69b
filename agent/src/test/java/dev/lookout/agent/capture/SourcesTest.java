package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Dimension;
import org.junit.jupiter.api.Test;

/** What of a source may be shown in the journal and in {@code ctl status}. */
class SourcesTest {
    @Test
    void aCamerasPasswordIsNeverShown() {
        assertEquals("url:http://admin:***@192.168.1.20/video.mjpg", Sources.shown("url:http://admin:s3cr:t@192.168.1.20/video.mjpg"));
        assertEquals("Server returned HTTP response code: 401 for URL: http://admin:***@cam/x",
                Sources.shown("Server returned HTTP response code: 401 for URL: http://admin:pw@cam/x"));
        assertEquals("url:rtsp://:***@cam:554/s", Sources.shown("url:rtsp://:pw@cam:554/s"));
        for (String plain : new String[] {"url:http://cam:8080/video", "url:http://user@cam/x", "v4l2:/dev/video0",
                "url:http://cam/a?to=x@y", "synthetic"}) {
            assertEquals(plain, Sources.shown(plain));
        }
        assertEquals("url:http://admin:***@cam/v", Sources.device("url:http://admin:pw@cam/v", new Dimension(640, 480), 5, 160, java.time.Duration.ofSeconds(10))
                .getName(), "the device's name, in the journal and ctl status");
    }
}
