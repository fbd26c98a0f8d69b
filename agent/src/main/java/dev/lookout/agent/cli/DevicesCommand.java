package dev.lookout.agent.cli;

import dev.lookout.agent.capture.Sources;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists the V4L2 cameras (/dev/video*) with the formats ffmpeg finds for them, as --source values.",
            "A camera that offers mjpeg has its own JPEGs sent without decoding and encoding again."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> lines = Sources.v4l2Devices(Path.of("/dev"));
        PrintWriter out = spec.commandLine().getOut();
        if (lines.isEmpty()) {
            spec.commandLine().getErr().println("No V4L2 camera found (/dev/video*). Is it plugged in, and is this user"
                    + " in the 'video' group? Other sources: synthetic, file:, url:, pipe:, exec: (see --help).");
        }
        lines.forEach(out::println);
        return Sysexit.OK.code();
    }
}
