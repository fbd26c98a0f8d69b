package dev.lookout.agent.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent's local admin socket (Unix-domain, mode 0660): a client writes one command
 * line and half-closes; the answer comes back and the agent closes. {@code lookout-agent ctl CMD}
 * is that client; {@code socat - UNIX-CONNECT:PATH} works too.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("lookout.agent");
    private static final int MAX_COMMAND_BYTES = 256;
    /** How an answer begins while the agent is starting: 'ctl' exits 69, as when no agent answers. */
    public static final String STARTING = "ERR starting: ";
    /** How an answer begins while the camera has given no picture (it starts, or it is lost): 'ctl' exits 69 too. */
    public static final String NO_FRAME = "ERR no frame: ";

    /** Whether {@code answer} says the agent cannot do it now (starting, no picture), rather than that the command is wrong. */
    public static boolean unavailable(String answer) {
        return answer.startsWith(STARTING) || answer.startsWith(NO_FRAME);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private volatile UnaryOperator<String> commands;

    /**
     * Listens at {@code path} (a stale socket file there is replaced) and answers with {@code commands}
     * until {@link #answerWith} replaces them (e.g. once the agent has started).
     */
    public ControlServer(Path path, UnaryOperator<String> commands) throws IOException {
        this.path = path;
        this.commands = commands;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        // Bound under a temporary name and given its mode before it appears: never reachable with the umask's.
        Path fresh = path.resolveSibling("." + path.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(fresh));
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-rw----"));
        Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread accept = new Thread(this::serve, "control");
        accept.setDaemon(true);
        accept.start();
    }

    /** From now on, answers with {@code next}. */
    public void answerWith(UnaryOperator<String> next) {
        commands = next;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String command = read(client);
                String answer = commands.apply(command);
                client.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
                client.shutdownOutput();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control connection failed: {}", e.toString());
                }
            }
        }
    }

    /** The first line the client sent, up to its half-close or {@value #MAX_COMMAND_BYTES} bytes. */
    private static String read(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_COMMAND_BYTES);
        while (buffer.hasRemaining() && client.read(buffer) >= 0) {
            if (new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).contains("\n")) {
                break;
            }
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
