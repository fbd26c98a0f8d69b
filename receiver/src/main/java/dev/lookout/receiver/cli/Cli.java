package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.receiver.net.Endpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs the command line and turns every outcome into an exit status, in this one place. Nothing
 * is written to standard output: under socket activation it may be the client's socket.
 */
public final class Cli {
    private Cli() {
    }

    public static int run(String[] args, PrintStream err) {
        PrintWriter writer = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new ReceiverCommand());
        cli.registerConverter(ByteSize.class, converter(ByteSize::parse));
        cli.registerConverter(Duration.class, converter(Durations::parse));
        cli.registerConverter(Endpoint.class, converter(Endpoint::new));
        cli.registerConverter(ZoneId.class, converter(ZoneId::of));
        cli.registerConverter(Boolean.class, converter(Settings::bool));
        cli.setOut(writer).setErr(writer);
        cli.setParameterExceptionHandler((e, ignored) -> {
            if (e.getCause() instanceof Failure config) {
                return failure(config, writer, false);
            }
            writer.println("Error: " + e.getMessage());
            writer.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return Sysexit.USAGE.code();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, writer, parsed.hasMatchedOption("--verbose")));
        ConfigDefaults.install(cli);
        return cli.execute(args);
    }

    /** Reports a failure as one {@code Error:} line (and a stack trace when asked) and returns its exit status. */
    static int failure(Throwable e, PrintWriter out, boolean stackTrace) {
        Sysexit status;
        String message;
        if (e instanceof Failure known) {
            status = known.status();
            message = e.getMessage();
        } else if (e instanceof IOException) {
            status = Sysexit.IO;
            message = "I/O failed: " + e;
        } else {
            status = Sysexit.SOFTWARE;
            message = "unexpected failure: " + e;
        }
        out.println("Error: " + message);
        if (stackTrace) {
            e.printStackTrace(out);
        }
        out.flush();
        return status.code();
    }

    private static <T> ITypeConverter<T> converter(Function<String, T> parse) {
        return text -> {
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }
}
