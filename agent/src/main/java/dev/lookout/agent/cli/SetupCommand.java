package dev.lookout.agent.cli;

import dev.lookout.agent.setup.Setup;
import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Sets this camera up as a service (run as root, after installing the package): writes the given"
                + " settings into " + AgentDefaults.DEFAULT_FILE + " (the other settings stay), installs the receiver's"
                + " key as " + SetupCommand.KEY + " (mode 0640, group lookout), then enables the agent's units and"
                + " restarts the agent when something changed. Run it again to change a value."})
final class SetupCommand implements Callable<Integer> {
    static final String KEY = "/etc/lookout/agent.key";
    /** What runs beside the agent: the spool's flush and the hourly snapshot. */
    private static final List<String> HELPERS = List.of("lookout-agent-flush.path", "lookout-agent-flush.timer",
            "lookout-snapshot.timer");
    private static final List<String> AGENT = List.of("lookout-agent.service");

    @Spec
    CommandSpec spec;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "The receiver (or unix:PATH).")
    String to;

    @Option(names = "--camera", paramLabel = "NAME", description = "The camera's name, its folder on the receiver.")
    String camera;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "The camera: v4l2:/dev/videoN, file:PATH, url:URL, … ('lookout-agent devices' lists them).")
    String source;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The receiver's key file (copied from the laptop).")
    Path keyFile;

    @Mixin
    MqttOptions mqtt;

    @Override
    public Integer call() throws IOException, InterruptedException, Failure {
        PrintWriter out = spec.commandLine().getOut();
        if (!root()) {
            spec.commandLine().getErr().println("Error: setup changes system settings: run it as root (sudo lookout-agent setup …)");
            return Sysexit.NOPERM.code();
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (given("--to")) {
            Address.parse(to);
            values.put("to", to);
        }
        if (given("--camera")) {
            values.put("camera", CameraOption.checked(camera));
        }
        if (given("--source")) {
            values.put("source", source);
        }
        if (MqttOptions.NAMES.stream().anyMatch(this::given)) {
            mqtt.broker();
        }
        for (String option : MqttOptions.NAMES) {
            if (given(option)) {
                Object value = spec.findOption(option).getValue();
                values.put(option.substring(2), value instanceof Path path ? path.toAbsolutePath().toString() : String.valueOf(value));
            }
        }
        boolean changed = false;
        if (given("--key-file")) {
            if (!Files.isReadable(keyFile)) {
                throw new IOException("cannot read the key file " + keyFile);
            }
            changed = Setup.key(keyFile, Path.of(KEY), "lookout");
            out.println(changed ? "lookout: installed the key as " + KEY : "lookout: the key " + KEY + " is this one already");
            values.put("key-file", KEY);
        }
        Path settings = Path.of(AgentDefaults.DEFAULT_FILE);
        if (Setup.settings(settings, values)) {
            changed = true;
            out.println("lookout: set " + String.join(", ", values.keySet()) + " in " + settings);
        }
        String failed = systemctl(List.of("enable", "--now"), HELPERS);
        if (failed == null) {
            failed = systemctl(List.of("enable"), AGENT);
        }
        if (failed == null) {
            failed = systemctl(List.of(changed ? "restart" : "start"), AGENT);
        }
        if (failed != null) {
            spec.commandLine().getErr().println("Error: " + failed);
            return Sysexit.UNAVAILABLE.code();
        }
        out.println("lookout: the agent " + (changed ? "restarted with the new settings" : "runs (nothing changed)")
                + "; 'lookout-agent ctl status' tells how it goes");
        return Sysexit.OK.code();
    }

    private static boolean root() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** Given on the command line (not a default from the settings file). */
    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Runs systemctl; null when it succeeded, else what went wrong. */
    private static String systemctl(List<String> verb, List<String> units) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("systemctl", "--quiet"));
        command.addAll(verb);
        command.addAll(units);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() == 0) {
            return null;
        }
        return "systemctl " + String.join(" ", verb) + " failed (exit " + process.exitValue() + ")" + (said.isEmpty() ? "" : ": " + said.replace('\n', ' '));
    }
}
