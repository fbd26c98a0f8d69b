package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.support.Rig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's first quick-start command, shortened: the whole pipeline, and no process left behind. */
class DemoIT {
    private static final Path LOOKOUT = Path.of("../lookout").toAbsolutePath().normalize();

    @Test
    void theDemoDeliversStillsOfThePersonAndLeavesNothingRunning() throws Exception {
        demo("demo");
    }

    /** With --mqtt: a broker of its own, and the messages Home Assistant would get, as mosquitto_sub shows them. */
    @Test
    void theMqttDemoShowsTheMessages() throws Exception {
        String out = demo("demo", "--mqtt");
        assertTrue(out.contains("mqtt: lookout/front-door/available online"), out);
        assertTrue(out.contains("mqtt: lookout/front-door/motion ON"), out);
        assertTrue(Pattern.compile("mqtt: lookout/front-door/snapshot \\(\\d+ bytes of JPEG\\)").matcher(out).find(), out);
        assertTrue(out.contains("mqtt: homeassistant/binary_sensor/lookout_front-door/motion/config {"), out);
    }

    /** Runs {@code ./lookout ARGS} for 12 s; checks the stills and that nothing is left running; returns its output. */
    private static String demo(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LOOKOUT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LOOKOUT_DEMO_SECONDS", "12");
        Process demo = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(demo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        }, Rig::ownThread);
        String out = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(demo.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, demo.exitValue(), out + err.get());
        assertTrue(err.get().contains("motion started (event 1"), err.get());
        assertTrue(err.get().contains("still sent: front-door/"), err.get());

        Matcher where = Pattern.compile("(\\d+) images are in (\\S+):").matcher(out);
        assertTrue(where.find(), out);
        Path images = Path.of(where.group(2));
        try (Stream<Path> walk = Files.walk(images)) {
            List<Path> jpegs = walk.filter(p -> p.toString().endsWith(".jpg") && !p.endsWith("latest.jpg")).toList();
            assertEquals(Integer.parseInt(where.group(1)), jpegs.size());
            assertTrue(jpegs.size() >= 1);
        }
        String work = images.getParent().toString();
        long left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work)).orElse(false)).count();
        assertEquals(0, left, "processes of the demo still running");
        return out;
    }
}
