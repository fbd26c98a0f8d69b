package dev.lookout.agent.send;

import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.FrameReader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.protocol.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver played byte by byte, for faults a real one cannot produce on demand: it takes each
 * connection's frames as they go on the wire and answers with that connection's script, the reply
 * bytes as a receiver would send them (cut wherever the script ends), or refuses the connection.
 */
class ScriptedLink implements Link {
    private final String[] scripts;
    /** The image ids of each connection's frames, as the receiver read them. */
    final List<List<String>> connections = new CopyOnWriteArrayList<>();
    /** What a probe finds. */
    volatile boolean accepting = true;
    private int tries;

    /**
     * @param scripts the replies of the first, second … connection, the last for all after it;
     *                {@code null}: the connection is refused
     */
    ScriptedLink(String... scripts) {
        this.scripts = scripts;
    }

    @Override
    public List<Reply> send(List<Upload> uploads) throws IOException {
        String script = scripts[Math.min(tries++, scripts.length - 1)];
        if (script == null) {
            throw new ConnectException("Connection refused");
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, null);
        for (Upload u : uploads) {
            writer.write(u.header(), u.frame());
        }
        List<String> ids = new ArrayList<>();
        try {
            FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), Integer.MAX_VALUE);
            for (FrameReader.Frame f = reader.next(); f != null; f = reader.next()) {
                ids.add(f.header().imageIdHex());
            }
        } catch (ProtocolException e) {
            throw new AssertionError("the drainer sent a broken frame", e);
        }
        connections.add(ids);
        received();
        return Sender.replies(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
    }

    /** What happens once the frames are in and before the replies come. */
    void received() throws IOException {
    }

    @Override
    public boolean accepts(Duration within) {
        return accepting;
    }
}
