package dev.lookout.agent.cli;

import dev.lookout.agent.capture.Devices;
import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists the V4L2 cameras (/dev/video*) as --source values, each with the formats the agent can",
            "capture from it, their sizes and (with v4l2-ctl) frame rates. A camera that offers MJPEG has its own",
            "JPEGs sent without decoding and encoding again. Exit 77 when a camera may not be opened by this user."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "'default' also lists what webcam-capture's built-in native driver finds (it loads its"
                    + " natives); otherwise it is not loaded.")
    String source;

    @Override
    public Integer call() throws IOException, Failure {
        List<String> lines = new ArrayList<>(Devices.table(Path.of("/dev")));
        if (source != null && (source.equals("default") || source.startsWith("default:"))) {
            lines.addAll(Devices.builtin());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (lines.isEmpty()) {
            spec.commandLine().getErr().println("No V4L2 camera found (/dev/video*). Is it plugged in? Other sources:"
                    + " synthetic, file:, url:, pipe:, exec: (see 'lookout-agent run --help').");
        }
        lines.forEach(out::println);
        return Sysexit.OK.code();
    }
}
