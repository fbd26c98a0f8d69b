package dev.lookout.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Commands run to their end, output and errors together. */
final class Sh {
    /** The checkout this module belongs to. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Sh() {
    }

    record Result(int code, String out) {
        Result expect(int expected) {
            if (code != expected) {
                throw new AssertionError("exit " + code + " (expected " + expected + "): " + out);
            }
            return this;
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command), null);
    }

    static Result run(List<String> command, Path directory) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process p = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 10 minutes: " + command);
        }
        return new Result(p.exitValue(), out.join().strip());
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    /** Whether a command is on the PATH. */
    static boolean has(String command) throws IOException, InterruptedException {
        return run("sh", "-c", "command -v " + command).code() == 0;
    }

    /** The java of this test run. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Runs a scenario script of src/test/sh as {@code sh SCRIPT REPO WORK} and checks that its
     * last line is "all scenarios passed". Without root or one of {@code commands} it is skipped,
     * loudly, unless CI is set, where it fails.
     */
    static void scenarios(String script, Path work, String... commands) throws IOException, InterruptedException {
        boolean ready = root();
        for (String command : commands) {
            ready &= has(command);
        }
        if (!ready) {
            String why = "SKIPPED: " + script + " needs root and " + String.join(", ", commands);
            System.err.println("*** " + why + " ***");
            Assumptions.assumeTrue(System.getenv("CI") != null, why);
        }
        Result run = run(list("sh", REPO.resolve("system-tests/src/test/sh/" + script).toString(), REPO.toString(),
                work.toString()), null);
        System.out.println(run.out());
        Assertions.assertEquals(0, run.code(), run.out());
        Assertions.assertEquals("all scenarios passed", run.out().lines().reduce((a, b) -> b).orElse(""));
    }
}
