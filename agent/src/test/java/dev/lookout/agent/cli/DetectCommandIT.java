package dev.lookout.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.capture.Frame;
import dev.lookout.agent.capture.SyntheticScene;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar lookout-agent.jar detect …} as a user runs it to tune thresholds. */
class DetectCommandIT {
    private static final Path JAR = Path.of("target/lookout-agent.jar").toAbsolutePath();

    private record Result(int code, List<String> out, String err) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // process gone
            }
        });
        drain.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        drain.join();
        return new Result(process.exitValue(), out.isEmpty() ? List.of() : Arrays.asList(out.split("\n")),
                err.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * A live source that never ends (a command that plays a crossing at 10 fps, over and over): ended
     * by SIGINT (Ctrl-C) or by --duration, detect prints its summary and writes its stills and mask.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "ended by {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"SIGINT", "--duration"})
    void aLiveSourceEndsWithItsSummaryAndFilesWritten(String how, @TempDir Path dir) throws Exception {
        dev.lookout.agent.support.Rig.crossingClip(dir.resolve("clip"), 40);
        String camera = "while :; do for f in " + dir.resolve("clip") + "/*.jpg; do cat $f; sleep 0.1; done; done";
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "detect", "--source", "exec:" + camera, "--size", "320x240", "--csv",
                "--stills", dir.resolve("stills").toString(), "--mask-out", dir.resolve("mask.pgm").toString()));
        if (how.equals("--duration")) {
            command.addAll(List.of("--duration", "6"));
        }
        Path out = dir.resolve("out.csv");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (how.equals("SIGINT")) {
            dev.lookout.agent.support.Rig.await(() -> dev.lookout.agent.support.Rig.read(out).lines().count() > 40, 60);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor());
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String summary = java.nio.file.Files.readString(err).strip();
        assertEquals(0, process.exitValue(), summary);
        java.util.regex.Matcher counts = java.util.regex.Pattern.compile("^(\\d+) frames, \\d+ with motion, (\\d+) events,"
                + " (\\d+) stills; ").matcher(summary.lines().reduce((a, b) -> b).orElse(""));
        assertTrue(counts.find(), summary);
        assertEquals(java.nio.file.Files.readAllLines(out).size() - 1, Integer.parseInt(counts.group(1)), summary);
        assertTrue(Integer.parseInt(counts.group(2)) >= 1, summary);
        try (var stills = java.nio.file.Files.list(dir.resolve("stills"))) {
            assertEquals(Integer.parseInt(counts.group(3)), stills.count(), summary);
        }
        assertTrue(java.nio.file.Files.size(dir.resolve("mask.pgm")) > 0);
    }

    @Test
    void printsOneRowPerFrameOfTheSyntheticScene() throws Exception {
        Result result = run("detect", "--source", "synthetic", "--csv");
        assertEquals(0, result.code(), result.err());
        assertEquals("index,capture_ms,changed_pct,motion,event_id", result.out().get(0));
        assertEquals(301, result.out().size());
        assertEquals("60,12000,", result.out().get(61).substring(0, 9));
        assertTrue(result.err().startsWith("300 frames, "), result.err());
        assertTrue(result.err().contains(", 2 events, "), result.err());
        long events = result.out().stream().skip(1).map(row -> row.split(",", -1)[4]).filter(id -> !id.isEmpty())
                .distinct().count();
        assertEquals(2, events);
    }

    @Test
    void readsAFolderOfJpegsInNameOrder(@TempDir Path dir) throws Exception {
        SyntheticScene scene = SyntheticScene.builder(320, 240).frames(40).object(10, 8, 40, 80).build();
        Frame frame;
        while ((frame = scene.next()) != null) {
            ImageIO.write(frame.image(), "jpeg", dir.resolve(String.format("still-%03d.jpg", frame.index())).toFile());
        }
        Result result = run("detect", "--source", "file:" + dir, "--fps", "10", "--csv");
        assertEquals(0, result.code(), result.err());
        assertEquals(41, result.out().size());
        assertEquals("39,3900,", result.out().get(40).substring(0, 8));
        assertTrue(result.out().stream().skip(1).anyMatch(row -> row.split(",", -1)[3].equals("1")), result.out().toString());
        assertTrue(result.err().contains(", 1 events, "), result.err());
    }

    @Test
    void unknownSourcesAreAUsageError() throws Exception {
        Result result = run("detect", "--source", "webcam:0");
        assertEquals(64, result.code());
        assertEquals("Error: unknown source 'webcam:0' (known: synthetic, file:PATH, v4l2:DEVICE, url:URL, pipe:PATH,"
                + " exec:COMMAND, default[:NAME])", result.err());
    }

    /** No camera here, and maybe no libv4l2 for the built-in driver's native: either way a clear exit 66. */
    @Test
    void theBuiltInDriverWithoutACameraIsExit66() throws Exception {
        Result result = run("detect", "--source", "default");
        assertEquals(66, result.code());
        String error = result.err().lines().filter(line -> line.startsWith("Error: ")).findFirst().orElse(result.err());
        assertTrue(error.contains("built-in driver") && error.contains("use v4l2:/dev/videoN"), error);
    }

    @Test
    void lightingStepsInARecordedClipAreNoEvent(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("lights.avi");
        Process make = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "smptebars=size=320x240:rate=10:d=6,noise=alls=8:allf=t,"
                        + "eq=brightness=0.15:enable='between(t,2,4)',eq=brightness=-0.1:enable='gte(t,4.5)'",
                "-c:v", "mjpeg", "-q:v", "3", clip.toString()).inheritIO().start();
        assertEquals(0, make.waitFor());
        Result result = run("detect", "--source", "file:" + clip, "--fps", "10", "--csv");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().startsWith("60 frames, 0 with motion, 0 events, "), result.err());
    }

    /** Something that never stops changing in a corner: the smart mask learns it, --mask-out writes it, --mask takes it. */
    @Test
    void theSmartMaskLearnsWhatAlwaysMovesAndWritesIt(@TempDir Path dir) throws Exception {
        Path clip = overlaid(dir.resolve("busy.avi"), "color=c=gray:s=320x240:r=5:d=90,noise=alls=6:allf=t",
                "cellauto=s=80x60:rate=5:rule=110:random_fill_ratio=0.5:random_seed=1", "x=0:y=0");
        Path mask = dir.resolve("learned.pgm");
        Result learning = run("detect", "--source", "file:" + clip, "--smart-mask", "--mask-out", mask.toString(), "--csv");
        assertEquals(0, learning.code(), learning.err());
        List<String> lastMinute = learning.out().subList(learning.out().size() - 150, learning.out().size());
        assertTrue(lastMinute.stream().noneMatch(row -> row.split(",", -1)[3].equals("1")), lastMinute.toString());
        BufferedImage learned = ImageIO.read(new ByteArrayInputStream(pgmAsPng(mask)));
        assertEquals(160, learned.getWidth());
        assertEquals(0, learned.getRaster().getSample(20, 15, 0), "the busy corner is ignored");
        assertEquals(255, learned.getRaster().getSample(120, 90, 0), "the still grey is watched");
        Result masked = run("detect", "--source", "file:" + clip, "--mask", mask.toString());
        assertTrue(masked.err().startsWith("450 frames, 0 with motion, 0 events"), masked.err());
    }

    /** An MJPEG clip made by ffmpeg: the lavfi source {@code top} overlaid on {@code background} at {@code where}. */
    private static Path overlaid(Path clip, String background, String top, String where) throws IOException, InterruptedException {
        Process make = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", background,
                "-f", "lavfi", "-i", top, "-filter_complex", "[0][1]overlay=" + where + ":shortest=1",
                "-c:v", "mjpeg", "-q:v", "3", clip.toString()).inheritIO().start();
        assertEquals(0, make.waitFor());
        return clip;
    }

    /** ImageIO reads no PGM: ffmpeg turns it into a PNG. */
    private static byte[] pgmAsPng(Path pgm) throws IOException, InterruptedException {
        Process convert = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", pgm.toString(),
                "-f", "image2pipe", "-c:v", "png", "-").start();
        byte[] png = convert.getInputStream().readAllBytes();
        assertEquals(0, convert.waitFor());
        return png;
    }

    @Test
    void aMissingCameraIsExit66WithTheReason() throws Exception {
        Result result = run("detect", "--source", "v4l2:/dev/no-such-video");
        assertEquals(66, result.code());
        assertEquals("Error: cannot open /dev/no-such-video: /dev/no-such-video: No such file or directory", result.err());
    }

    @Test
    void aRecordedClipThroughFfmpegShowsThePersonWalkingIn(@TempDir Path dir) throws Exception {
        Path clip = overlaid(dir.resolve("door.avi"), "color=c=gray:s=320x240:r=10:d=6,noise=alls=10:allf=t",
                "color=c=black:s=60x80:r=10:d=6", "x='if(between(t,2,4),(t-2)*150-60,-100)':y=80");
        Result result = run("detect", "--source", "file:" + clip, "--fps", "10", "--csv");
        assertEquals(0, result.code(), result.err());
        List<String> moving = result.out().stream().skip(1).filter(row -> row.split(",", -1)[3].equals("1")).toList();
        assertTrue(moving.size() >= 10, moving.toString());
        int first = Integer.parseInt(moving.get(0).split(",")[0]);
        assertTrue(first >= 20 && first <= 23, "first motion in frame " + first);
        assertTrue(result.err().contains(", 1 events, "), result.err());
    }
}
