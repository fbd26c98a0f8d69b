package dev.lookout.receiver.cli;

import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.files.DurableFile;
import dev.lookout.protocol.PresharedKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Writes a new pre-shared key (32 random bytes, Base64) to FILE with mode 0600. Never replaces a file.")
final class KeygenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Where to write the key.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Failure {
        try {
            DurableFile.create(file, PresharedKey.encode(PresharedKey.random()), "rw-------");
        } catch (FileAlreadyExistsException e) {
            throw new Failure(Sysexit.CONFIG, file + " already exists; remove it first to replace the key");
        } catch (IOException e) {
            throw new Failure(Sysexit.IO, "cannot write " + file + ": " + e);
        }
        spec.commandLine().getErr().println("Wrote a new key to " + file
                + ". Copy it to the camera with the same mode 0600, e.g.: scp -p " + file + " pi@camera:");
        return Sysexit.OK.code();
    }
}
