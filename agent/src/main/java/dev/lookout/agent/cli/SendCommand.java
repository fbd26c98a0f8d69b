package dev.lookout.agent.cli;

import dev.lookout.agent.spool.Upload;
import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.Reply;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Sends JPEG files to the receiver over one connection and prints its reply to each:",
            "'FILE: OK <path>' or 'FILE: ERR <code> <reason>'. A file's capture time is its mtime; sending the",
            "same file again stores it once. Exit 0 when every file was stored, 65 when the receiver refused one",
            "for good, 75 when it should be tried again later (no connection, storage full, wrong key)."})
final class SendCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    DeliveryOptions delivery;

    @Mixin
    CameraOption camera;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JPEG files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, Failure {
        List<Upload> uploads = new ArrayList<>();
        for (Path file : files) {
            uploads.add(Upload.ofFile(camera.name(), file));
        }
        List<Reply> replies;
        try {
            replies = delivery.sender().send(uploads);
        } catch (IOException e) {
            spec.commandLine().getErr().println("Error: cannot connect to " + delivery.to + ": " + e.getMessage());
            return Sysexit.TEMPFAIL.code();
        }
        PrintWriter out = spec.commandLine().getOut();
        Sysexit status = Sysexit.OK;
        for (int i = 0; i < files.size(); i++) {
            Reply reply = i < replies.size() ? replies.get(i) : null;
            if (reply == null) {
                out.println(files.get(i) + ": no reply");
                status = Sysexit.TEMPFAIL;
            } else if (reply.isOk()) {
                out.println(files.get(i) + ": OK " + reply.text());
            } else {
                out.println(files.get(i) + ": ERR " + reply.code().token() + " " + reply.text());
                if (reply.code().retryable()) {
                    status = Sysexit.TEMPFAIL;
                } else if (status == Sysexit.OK) {
                    status = Sysexit.DATA;
                }
            }
        }
        out.flush();
        return status.code();
    }
}
