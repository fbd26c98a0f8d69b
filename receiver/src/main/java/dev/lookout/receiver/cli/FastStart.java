package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.launch.Launcher;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The per-connection path: when the receiver was handed a connected socket and its arguments name
 * at most a config file ({@code --config FILE}), it is configured from that file alone and serves
 * the connection without building the command-line model, which would cost more than the JVM's
 * own start (picocli's classes are Java 5 bytecode and stay out of a class-data-sharing archive).
 * Anything else goes to {@link Cli}.
 */
public final class FastStart {
    private static final String CONFIG = "--config";

    private FastStart() {
    }

    /** Serves the inherited connection and returns the exit status, or empty when this path does not apply. */
    public static OptionalInt run(String[] args, PrintStream err) {
        if (!(args.length == 0 || args.length == 1 && args[0].startsWith(CONFIG + "=")
                || args.length == 2 && args[0].equals(CONFIG))) {
            return OptionalInt.empty();
        }
        try {
            Channel inherited = System.inheritedChannel();
            if (!(inherited instanceof SocketChannel connection)) {
                return OptionalInt.empty();
            }
            Path config = args.length == 0 ? null : Path.of(args.length == 2 ? args[1] : args[0].substring(CONFIG.length() + 1));
            return OptionalInt.of(launcher(config).serveInherited(connection).code());
        } catch (IOException | Failure | RuntimeException e) {
            return OptionalInt.of(Cli.failure(e, new PrintWriter(err, true, StandardCharsets.UTF_8), false));
        }
    }

    /** Serves one connection configured by {@code config} (the default file when {@code null}), and closes it. */
    public static Sysexit serve(Path config, SocketChannel connection) throws IOException, Failure {
        return launcher(config).serve(connection);
    }

    private static Launcher launcher(Path config) throws Failure {
        return Settings.fromFile(ConfigFile.load(config)).launcher();
    }
}
