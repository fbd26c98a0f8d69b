package dev.lookout.agent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.Dimension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lookout.agent.detect.DetectionSettings;
import dev.lookout.agent.detect.EventTracker;
import dev.lookout.agent.detect.LumaMotionAlgorithm;
import dev.lookout.agent.detect.Mask;
import dev.lookout.agent.detect.MotionPipeline;
import dev.lookout.agent.detect.StillPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Sources fed by real processes and servers: a named pipe, a command, ffmpeg reading a clip and an HTTP camera. */
class LiveSourcesTest {
    private static final Dimension SIZE = new Dimension(320, 240);

    @TempDir
    Path dir;

    private List<byte[]> stills(int n) throws IOException {
        return stills(n, SIZE);
    }

    private List<byte[]> stills(int n, Dimension size) throws IOException {
        SyntheticScene scene = SyntheticScene.builder(size.width, size.height).frames(n).object(1, 30, 40, 60).build();
        List<byte[]> jpegs = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            Path file = dir.resolve(String.format("f%02d.jpg", frame.index()));
            ImageIO.write(frame.image(), "jpeg", file.toFile());
            jpegs.add(Files.readAllBytes(file));
        }
        return jpegs;
    }

    /** The JPEGs of the stream's frames, each checked to come with a small grey picture 160 pixels wide. */
    static List<byte[]> drain(FrameStream stream) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (stream) {
            Frame frame;
            while ((frame = stream.next()) != null) {
                assertEquals(160, frame.detectionImage().getWidth());
                frames.add(frame.jpeg());
            }
        }
        return frames;
    }

    /** At 320 pixels wide the JPEGs are decoded in full for their small pictures, at 640 decoded small. */
    @ParameterizedTest(name = "{0} pixels wide")
    @ValueSource(ints = {320, 640})
    void aNamedPipeFedByAnotherProcess(int width) throws Exception {
        Dimension size = new Dimension(width, width * 3 / 4);
        List<byte[]> jpegs = stills(5, size);
        Path fifo = dir.resolve("camera.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process writer = new ProcessBuilder("sh", "-c", "cat f0*.jpg > camera.fifo").directory(dir.toFile()).start();
        List<byte[]> frames = drain(Sources.open("pipe:" + fifo, size, 5, 160));
        assertEquals(0, writer.waitFor());
        assertEquals(5, frames.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(jpegs.get(i), frames.get(i));
        }
    }

    @ParameterizedTest(name = "{0} pixels wide")
    @ValueSource(ints = {320, 640})
    void aCommandsStandardOutputAndAFolder(int width) throws Exception {
        Dimension size = new Dimension(width, width * 3 / 4);
        List<byte[]> jpegs = stills(3, size);
        List<byte[]> frames = drain(Sources.open("exec:cd " + dir + " && cat f00.jpg f01.jpg f02.jpg", size, 5, 160));
        assertEquals(3, frames.size());
        assertArrayEquals(jpegs.get(2), frames.get(2));
        List<byte[]> files = drain(Sources.open("file:" + dir, size, 5, 160));
        assertEquals(3, files.size());
        assertArrayEquals(jpegs.get(1), files.get(1));
    }

    @Test
    void aFailingCommandSaysWhy() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> drain(Sources.open("exec:echo camera unplugged >&2; exit 3", SIZE, 5, 160)));
        assertEquals("sh exited with 3: camera unplugged", e.getMessage());
    }

    @Test
    void aVideoFileThroughFfmpegAtTheRequestedRate() throws Exception {
        Path clip = dir.resolve("clip.avi");
        Process make = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "mjpeg", clip.toString()).inheritIO().start();
        assertEquals(0, make.waitFor());
        try (FrameStream stream = Sources.open("file:" + clip, SIZE, 5, 160)) {
            List<Frame> frames = new ArrayList<>();
            Frame frame;
            while ((frame = stream.next()) != null) {
                frames.add(frame);
            }
            assertEquals(10, frames.size());
            assertEquals(1800, frames.get(9).captureMillis());
            assertEquals(320, frames.get(0).image().getWidth());
        }
    }

    /**
     * The same JPEGs in a folder and in a Motion-JPEG .avi at the frame rate asked for: the same
     * frames, byte for byte, and the same small grey pictures, whatever the container.
     */
    @Test
    void theSameJpegsInAFolderOrAnMjpegVideoGiveTheSameFramesAndPictures() throws Exception {
        stills(8);
        Path clip = Files.createTempFile(dir.getParent(), "clip", ".avi");
        try {
            Process make = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-framerate", "5", "-i",
                    dir.resolve("f%02d.jpg").toString(), "-c:v", "copy", clip.toString()).inheritIO().start();
            assertEquals(0, make.waitFor());
            try (FrameStream folder = Sources.open("file:" + dir, SIZE, 5, 160);
                 FrameStream video = Sources.open("file:" + clip, SIZE, 5, 160)) {
                for (int i = 0; i < 8; i++) {
                    Frame a = folder.next();
                    Frame b = video.next();
                    assertArrayEquals(a.jpeg(), b.jpeg(), "frame " + i);
                    assertArrayEquals(pixels(a.detectionImage()), pixels(b.detectionImage()), "frame " + i);
                }
                assertEquals(null, video.next());
            }
        } finally {
            Files.delete(clip);
        }
    }

    private static byte[] pixels(java.awt.image.BufferedImage grey) {
        return ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
    }

    /**
     * An MJPEG-over-HTTP camera on loopback that goes away and comes back on the same port — with
     * something now standing in view that was not there before. The device reconnects, and the
     * pipeline re-baselines instead of reporting motion. At 320 pixels wide its frames are decoded in
     * full for their small pictures (they are under four times as wide), at 640 decoded small.
     */
    @ParameterizedTest(name = "{0} pixels wide")
    @ValueSource(ints = {320, 640})
    void aNetworkCameraThatRestartsIsReconnectedWithoutAFalseEvent(int width) throws Exception {
        Dimension size = new Dimension(width, width * 3 / 4);
        int s = width / 320;
        byte[] before = jpeg(SyntheticScene.builder(size.width, size.height).frames(1).seed(5).noise(0).build());
        byte[] after = jpeg(SyntheticScene.builder(size.width, size.height).frames(1).seed(5).noise(0)
                .block(0, 100 * s, 60 * s, 60 * s, 120 * s).build());
        HttpServer camera = mjpegServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), before);
        int port = camera.getAddress().getPort();
        StreamDevice device = Sources.device("url:http://127.0.0.1:" + port + "/video.mjpg", size, 5, 160, java.time.Duration.ofSeconds(10));
        List<Boolean> motion = new ArrayList<>();
        MotionPipeline pipeline = new MotionPipeline("door", new LumaMotionAlgorithm(DetectionSettings.DEFAULTS, Mask.NONE),
                new EventTracker(2, 3000), StillPolicy.DEFAULT, still -> { });
        device.open();
        try {
            await(() -> device.latestFrame() != null, 20);
            assertArrayEquals(before, device.latestFrame().jpeg());
            assertEquals(1, device.generation());
            feed(device, pipeline, motion, 5);
            camera.stop(0);
            camera = mjpegServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), after);
            await(() -> device.generation() == 2, 60);
            await(() -> Arrays.equals(after, device.latestFrame().jpeg()), 20);
            feed(device, pipeline, motion, 5);
            assertEquals(10, motion.size());
            assertEquals(List.of(), motion.stream().filter(m -> m).toList());
        } finally {
            device.close();
            camera.stop(0);
        }
    }

    /**
     * An HTTP camera gives its JPEGs untouched and a small grey picture of each for detection
     * (decoded in full at 320 pixels wide, small at 640): 160 pixels wide, the dark block where it
     * is in the frame.
     */
    @ParameterizedTest(name = "{0} pixels wide")
    @ValueSource(ints = {320, 640})
    void aNetworkCameraGivesItsOwnJpegsAndASmallGreyPictureOfEach(int width) throws Exception {
        Dimension size = new Dimension(width, width * 3 / 4);
        byte[] jpeg = jpeg(SyntheticScene.builder(size.width, size.height).frames(1).seed(3).noise(0)
                .block(0, size.width / 2, 0, size.width / 2, size.height / 2).build());
        HttpServer camera = mjpegServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), jpeg);
        try (FrameStream stream = Sources.open("url:http://127.0.0.1:" + camera.getAddress().getPort() + "/video.mjpg",
                size, 5, 160)) {
            for (int i = 0; i < 3; i++) {
                Frame frame = stream.next();
                assertArrayEquals(jpeg, frame.jpeg());
                java.awt.image.BufferedImage small = frame.detectionImage();
                assertEquals(java.awt.image.BufferedImage.TYPE_BYTE_GRAY, small.getType());
                assertEquals(160, small.getWidth());
                assertEquals(120, small.getHeight());
                assertTrue(small.getRaster().getSample(120, 30, 0) < 70, "the dark block");
                assertEquals(0, meanDifference(small, frame.image()), 8, "the small picture is the frame, reduced");
            }
        } finally {
            camera.stop(0);
        }
    }

    /**
     * A camera that gives frames, goes silent with its stream open, then gives frames again: the
     * watchdog closes the silent stream (its process ends), the listener hears of the loss once and
     * of the return once, and no frame is given while it is lost.
     */
    @Test
    void aSilentCameraIsRestartedAndReportedLostThenBack() throws Exception {
        stills(2);
        Path sending = Files.createFile(dir.resolve("sending"));
        String command = "if [ -e " + sending + " ]; then cat " + dir + "/f0*.jpg; fi; exec sleep 600";
        StreamDevice device = Sources.device("exec:" + command, SIZE, 5, 160, java.time.Duration.ofSeconds(1));
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        device.listen(new CameraListener() {
            @Override
            public void cameraLost(String why) {
                heard.add("lost: " + why);
            }

            @Override
            public void cameraBack() {
                heard.add("back");
            }
        });
        device.open();
        try {
            await(() -> device.latestFrame() != null, 20);
            Files.delete(sending);
            await(() -> device.health().startsWith("lost"), 20);
            assertEquals("lost: no frame for 1 s (retrying)", device.health());
            assertEquals(null, device.latestFrame());
            await(() -> ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")).count() <= 1, 20);
            Files.createFile(sending);
            await(() -> device.latestFrame() != null, 20);
            assertEquals(List.of("lost: no frame for 1 s", "back"), heard);
        } finally {
            device.close();
        }
    }

    /**
     * An RTSP camera that accepts the connection and then sends nothing: closing the device ends its
     * ffmpeg at once, not after ffmpeg's own 5 s I/O timeout.
     */
    @Test
    void closingADeviceEndsTheFfmpegOfAStalledCameraAtOnce() throws Exception {
        try (java.net.ServerSocket stalled = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StreamDevice device = Sources.device("url:rtsp://127.0.0.1:" + stalled.getLocalPort() + "/live", SIZE, 5, 160, java.time.Duration.ofSeconds(10));
            device.open();
            try (java.net.Socket connection = stalled.accept()) {
                List<ProcessHandle> ffmpeg = ProcessHandle.current().descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains(":" + stalled.getLocalPort() + "/")).toList();
                assertEquals(1, ffmpeg.size(), "one ffmpeg connected to the camera");
                device.close();
                ffmpeg.get(0).onExit().get(2, TimeUnit.SECONDS);
                connection.setSoTimeout(2000);
                String request = new String(connection.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(request.startsWith("OPTIONS rtsp://"), "ffmpeg asked, then its connection closed: " + request);
            } finally {
                device.close();
            }
        }
    }

    /**
     * A camera read in this process that accepts the connection and then sends nothing: closing the
     * device closes the connection at once, not after the 5 s read timeout, and no ffmpeg was started.
     */
    @Test
    void closingADeviceEndsTheConnectionToAStalledCameraReadHereAtOnce() throws Exception {
        try (java.net.ServerSocket stalled = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StreamDevice device = Sources.device("url:http://127.0.0.1:" + stalled.getLocalPort() + "/video.mjpg",
                    new Dimension(640, 480), 5, 160, java.time.Duration.ofSeconds(10));
            device.open();
            try (java.net.Socket connection = stalled.accept()) {
                assertEquals(List.of(), ProcessHandle.current().descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains(":" + stalled.getLocalPort() + "/")).toList());
                connection.setSoTimeout(1000);
                java.io.InputStream request = connection.getInputStream();
                byte[] start = request.readNBytes(15);
                assertEquals("GET /video.mjpg", new String(start, java.nio.charset.StandardCharsets.US_ASCII));
                long closing = System.nanoTime();
                device.close();
                request.readAllBytes(); // to the end: the agent closed the connection (a timeout would throw)
                assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(1), "closed at once");
                assertEquals("no frame yet", device.health());
            } finally {
                device.close();
            }
        }
    }

    /**
     * A camera whose ffmpeg has far more to write than the pipe holds, and a reader that stops after
     * one frame: closing the stream still ends that ffmpeg at once.
     */
    @Test
    void closingAStreamNobodyReadsEndsItsFfmpegAtOnce() throws Exception {
        List<byte[]> jpegs = stills(10);
        Path many = dir.resolve("many.mjpeg");
        try (OutputStream out = Files.newOutputStream(many)) {
            for (int i = 0; i < 40; i++) {
                for (byte[] jpeg : jpegs) {
                    out.write(jpeg);
                }
            }
        }
        FrameStream stream = Sources.camera("many", Ffmpeg.camera(List.of("-f", "mjpeg", "-i", many.toString()), true, 5),
                SIZE, 5, 160);
        assertArrayEquals(jpegs.get(0), stream.next().jpeg());
        java.util.concurrent.CompletableFuture<Void> closed = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                stream.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closed.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(many.toString())).toList(), "ffmpeg is gone");
    }

    /**
     * A camera faster than the frame rate asked for — 25 fps, read in real time, where 5 were asked
     * for — gives 5 frames a second: copied MJPEG has the frames in between dropped as they come,
     * raw frames are reduced by ffmpeg before they are encoded.
     */
    @ParameterizedTest(name = "MJPEG: {0}")
    @ValueSource(booleans = {true, false})
    void aFasterCameraIsReducedToTheFrameRateAskedFor(boolean mjpeg) throws Exception {
        List<String> input;
        if (mjpeg) {
            List<byte[]> jpegs = stills(10);
            Path fast = dir.resolve("fast.mjpeg");
            try (OutputStream out = Files.newOutputStream(fast)) {
                for (int i = 0; i < 5; i++) {
                    for (byte[] jpeg : jpegs) {
                        out.write(jpeg);
                    }
                }
            }
            input = List.of("-re", "-f", "mjpeg", "-framerate", "25", "-i", fast.toString());
        } else {
            input = List.of("-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2");
        }
        List<byte[]> frames = drain(Sources.camera("fast", Ffmpeg.camera(input, mjpeg, 5), SIZE, 5, 160));
        assertTrue(frames.size() >= 8 && frames.size() <= 12, frames.size() + " frames of 50 in 2 s at 5 fps");
    }

    /** The mean absolute difference between a small grey picture and the luma of the full one, reduced to its size. */
    private static double meanDifference(java.awt.image.BufferedImage small, java.awt.image.BufferedImage full) {
        int f = full.getWidth() / small.getWidth();
        double sum = 0;
        for (int y = 0; y < small.getHeight(); y++) {
            for (int x = 0; x < small.getWidth(); x++) {
                double luma = 0;
                for (int d = 0; d < f * f; d++) {
                    int rgb = full.getRGB(f * x + d % f, f * y + d / f);
                    luma += (0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff)) / (f * f);
                }
                sum += Math.abs(small.getRaster().getSample(x, y, 0) - luma);
            }
        }
        return sum / (small.getWidth() * small.getHeight());
    }

    /** Feeds the next {@code n} new frames of the device to the pipeline. */
    private static void feed(StreamDevice device, MotionPipeline pipeline, List<Boolean> motion, int n)
            throws InterruptedException {
        long last = -1;
        for (int fed = 0; fed < n; fed++) {
            long seen = last;
            await(() -> device.latestFrame() != null && device.latestFrame().index() != seen, 20);
            Frame frame = device.latestFrame();
            last = frame.index();
            motion.add(pipeline.accept(frame, device.generation()).motion());
        }
    }

    private static byte[] jpeg(SyntheticScene scene) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(scene.next().image(), "jpeg", out);
        return out.toByteArray();
    }

    private static HttpServer mjpegServer(InetSocketAddress address, byte[] jpeg) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/video.mjpg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes());
                    out.write(jpeg);
                    out.write("\r\n".getBytes());
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } catch (IOException | InterruptedException stopped) {
                // the client or the server went away
            }
        });
        server.start();
        return server;
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within " + seconds + " s");
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
