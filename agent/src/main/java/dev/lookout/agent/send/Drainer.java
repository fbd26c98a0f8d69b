package dev.lookout.agent.send;

import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.protocol.Reply;
import java.io.IOException;
import java.util.List;

/**
 * Empties the spool into the receiver, oldest first, {@code batch} stills per connection: an
 * {@code OK} removes the still, an error about the still itself moves it to {@code rejected/}, and
 * anything else (no connection, storage full, authentication, a reply missing) stops the drain with
 * every remaining still kept for the next try.
 */
public final class Drainer {
    private final Spool spool;
    private final Link sender;
    private final int batch;
    private final Delivered delivered;

    /** Told of each still the receiver stored. */
    public interface Delivered {
        void stored(Spool.Entry entry, String path, long batchMillis);
    }

    public Drainer(Spool spool, Link sender, int batch, Delivered delivered) {
        this.spool = spool;
        this.sender = sender;
        this.batch = batch;
        this.delivered = delivered;
    }

    /**
     * What one drain did.
     *
     * @param imported JPEGs taken in from the outbox
     * @param problem why stills were kept, or {@code null} when the spool was emptied
     * @param unreachable the drain stopped because no connection could be made (the receiver is away)
     */
    public record Result(int imported, int delivered, int rejected, int left, String problem, boolean unreachable) {
    }

    /**
     * Takes in the spool's outbox as far as the spool has room and drains, again and again while
     * JPEGs wait in the outbox and the last round made room: a full spool is emptied first, so that
     * taking in more never stands in the way of sending what waits.
     *
     * @param camera the name of JPEGs taken from the outbox
     */
    public Result drainWithOutbox(String camera) throws Exception {
        int imported = 0;
        int sent = 0;
        int rejected = 0;
        while (true) {
            int taken = spool.importOutbox(camera);
            Result round = drain();
            imported += taken;
            sent += round.delivered();
            rejected += round.rejected();
            int waiting = spool.outboxSize();
            boolean progress = taken + round.delivered() + round.rejected() > 0;
            if (round.problem() != null || waiting == 0 || !progress) {
                String problem = round.problem() != null || waiting == 0 ? round.problem()
                        : "spool full: " + waiting + " JPEGs wait in outbox/";
                return new Result(imported, sent, rejected, round.left(), problem, round.unreachable());
            }
        }
    }

    public Result drain() throws Exception {
        int sent = 0;
        int rejected = 0;
        try (AutoCloseable lock = spool.drainLock()) {
            while (true) {
                List<Spool.Entry> entries = spool.peek(batch);
                if (entries.isEmpty()) {
                    return new Result(0, sent, rejected, 0, null, false);
                }
                List<Upload> uploads = entries.stream().map(Spool.Entry::still).toList();
                List<Reply> replies;
                long start = System.nanoTime();
                try {
                    replies = sender.send(uploads);
                } catch (IOException e) {
                    return new Result(0, sent, rejected, spool.size(), "cannot connect: " + e.getMessage(), true);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                for (int i = 0; i < entries.size(); i++) {
                    Reply reply = i < replies.size() ? replies.get(i) : null;
                    if (reply != null && reply.isOk()) {
                        spool.remove(entries.get(i));
                        delivered.stored(entries.get(i), reply.text(), millis);
                        sent++;
                    } else if (reply != null && !reply.code().retryable()) {
                        spool.reject(entries.get(i), reply.code().token() + " " + reply.text());
                        rejected++;
                    } else {
                        String why = reply == null ? "no reply (connection ended)" : reply.code().token() + " " + reply.text();
                        return new Result(0, sent, rejected, spool.size(), why, false);
                    }
                }
            }
        }
    }
}
