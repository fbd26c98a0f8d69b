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
import org.junit.jupiter.api.io.TempDir;

/** Sources fed by real processes and servers: a named pipe, a command, ffmpeg reading a clip and an HTTP camera. */
class LiveSourcesTest {
    private static final Dimension SIZE = new Dimension(320, 240);

    @TempDir
    Path dir;

    private List<byte[]> stills(int n) throws IOException {
        SyntheticScene scene = SyntheticScene.builder(SIZE.width, SIZE.height).frames(n).object(1, 30, 40, 60).build();
        List<byte[]> jpegs = new ArrayList<>();
        Frame frame;
        while ((frame = scene.next()) != null) {
            Path file = dir.resolve(String.format("f%02d.jpg", frame.index()));
            ImageIO.write(frame.image(), "jpeg", file.toFile());
            jpegs.add(Files.readAllBytes(file));
        }
        return jpegs;
    }

    private static List<byte[]> drain(FrameStream stream) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (stream) {
            Frame frame;
            while ((frame = stream.next()) != null) {
                frames.add(frame.jpeg());
            }
        }
        return frames;
    }

    @Test
    void aNamedPipeFedByAnotherProcess() throws Exception {
        List<byte[]> jpegs = stills(5);
        Path fifo = dir.resolve("camera.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process writer = new ProcessBuilder("sh", "-c", "cat f0*.jpg > camera.fifo").directory(dir.toFile()).start();
        List<byte[]> frames = drain(Sources.open("pipe:" + fifo, SIZE, 5));
        assertEquals(0, writer.waitFor());
        assertEquals(5, frames.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(jpegs.get(i), frames.get(i));
        }
    }

    @Test
    void aCommandsStandardOutput() throws Exception {
        List<byte[]> jpegs = stills(3);
        List<byte[]> frames = drain(Sources.open("exec:cd " + dir + " && cat f00.jpg f01.jpg f02.jpg", SIZE, 5));
        assertEquals(3, frames.size());
        assertArrayEquals(jpegs.get(2), frames.get(2));
    }

    @Test
    void aFailingCommandSaysWhy() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> drain(Sources.open("exec:echo camera unplugged >&2; exit 3", SIZE, 5)));
        assertEquals("sh exited with 3: camera unplugged", e.getMessage());
    }

    @Test
    void aVideoFileThroughFfmpegAtTheRequestedRate() throws Exception {
        Path clip = dir.resolve("clip.avi");
        Process make = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "mjpeg", clip.toString()).inheritIO().start();
        assertEquals(0, make.waitFor());
        try (FrameStream stream = Sources.open("file:" + clip, SIZE, 5)) {
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
     * An MJPEG-over-HTTP camera on loopback that goes away and comes back on the same port — with
     * something now standing in view that was not there before. The device reconnects, and the
     * pipeline re-baselines instead of reporting motion.
     */
    @Test
    void aNetworkCameraThatRestartsIsReconnectedWithoutAFalseEvent() throws Exception {
        byte[] before = jpeg(SyntheticScene.builder(SIZE.width, SIZE.height).frames(1).seed(5).noise(0).build());
        byte[] after = jpeg(SyntheticScene.builder(SIZE.width, SIZE.height).frames(1).seed(5).noise(0)
                .block(0, 100, 60, 60, 120).build());
        HttpServer camera = mjpegServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), before);
        int port = camera.getAddress().getPort();
        StreamDevice device = Sources.device("url:http://127.0.0.1:" + port + "/video.mjpg", SIZE, 5);
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
