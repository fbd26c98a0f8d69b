package dev.lookout.agent.send;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lookout.agent.spool.Spool;
import dev.lookout.agent.spool.Upload;
import dev.lookout.agent.support.Frames;
import dev.lookout.protocol.Address;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameReader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A still is made once, in the form it travels in: from birth through the spool to the socket its
 * JPEG is hashed once (a counting SHA-256 put in front of the JDK's), the bytes on the wire without a
 * key are the spool entry's bytes, and a spool written before this form drains as it is.
 */
class OneFormTest {
    private static final byte[] JPEG = jpeg(50_000);

    @TempDir
    Path dir;

    @BeforeEach
    void countHashing() {
        Security.insertProviderAt(new CountingSha256(), 1);
        CountingSha256.BYTES.set(0);
    }

    @AfterEach
    void stopCounting() {
        Security.removeProvider(CountingSha256.NAME);
    }

    @Test
    void fromBirthToAckTheJpegIsHashedOnceAndSentAsSpooled() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), 1 << 24, 100);
        for (int i = 0; i < 3; i++) {
            spool.add(Upload.of("door", 1_000L * i, false, JPEG));
        }
        List<byte[]> entries = new ArrayList<>();
        for (Spool.Entry entry : spool.peek(3)) {
            entries.add(Files.readAllBytes(entry.path()));
        }
        byte[] wire = drainInto(spool, null);
        // per still: the JPEG once (the header's digest), then the id from time and digest (8 + 32 bytes)
        assertEquals(3L * (JPEG.length + 40), CountingSha256.BYTES.get());
        ByteArrayOutputStream spooled = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            spooled.write(entry);
        }
        assertArrayEquals(spooled.toByteArray(), wire, "without a key the wire carries the spool's bytes");
    }

    @Test
    void withAKeyTheStillIsSealedWithoutHashingAgain() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), 1 << 24, 100);
        spool.add(Upload.of("door", 1_000L, true, JPEG));
        byte[] key = new byte[PresharedKey.BYTES];
        new SecureRandom().nextBytes(key);
        ImageCipher cipher = new ImageCipher(key);
        byte[] wire = drainInto(spool, cipher);
        assertEquals(JPEG.length + 40L, CountingSha256.BYTES.get());

        FrameReader.Frame frame = new FrameReader(new ByteArrayInputStream(wire), Integer.MAX_VALUE).next();
        FrameHeader h = frame.header();
        assertEquals(FrameHeader.ENCRYPTED | FrameHeader.CLOCK_UNSYNCED, h.flags());
        assertArrayEquals(JPEG, cipher.open(h.nonce(), frame.rawHeader(), frame.body()));
        assertArrayEquals(FrameWriter.sha256(JPEG), h.sha256());
    }

    /** An entry as spools were written before the still had one form: a frame written from its parts. */
    @Test
    void aSpoolWrittenBeforeDrainsAsItIs() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        byte[] id = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        new FrameWriter(old, null).write("door", 1_700_000_000_000L, id, false, JPEG);
        Files.write(spoolDir.resolve("1700000000000-00112233445566778899aabbccddeeff.frame"), old.toByteArray());
        Spool spool = new Spool(spoolDir, 1 << 24, 100);
        Spool.Entry entry = spool.peek(1).get(0);
        assertArrayEquals(id, entry.header().imageId());
        assertArrayEquals(JPEG, Frames.jpeg(entry.still()));
        assertArrayEquals(old.toByteArray(), drainInto(spool, null));
        assertEquals(0, spool.size());
    }

    /** Drains {@code spool} through a real {@link Sender} into a loopback peer that answers OK to each frame; returns what it read. */
    private static byte[] drainInto(Spool spool, ImageCipher cipher) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int stills = spool.size();
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] all = s.getInputStream().readAllBytes();
                    for (int i = 0; i < stills; i++) {
                        out.write(("OK door/" + i + ".jpg\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    received.complete(all);
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            peer.start();
            Sender sender = new Sender(Address.parse("127.0.0.1:" + server.getLocalPort()), cipher, Duration.ofSeconds(10));
            Drainer.Result result = new Drainer(spool, sender, 10, (entry, path, millis) -> { }).drain();
            assertNull(result.problem());
            assertEquals(stills, result.delivered());
            return received.get();
        }
    }

    private static byte[] jpeg(int size) {
        byte[] jpeg = new byte[size];
        new java.util.Random(7).nextBytes(jpeg);
        jpeg[0] = (byte) 0xff;
        jpeg[1] = (byte) 0xd8;
        return jpeg;
    }

    /** SHA-256 of the JDK, counting the bytes it is given. */
    public static final class CountingSha256 extends Provider {
        private static final long serialVersionUID = 1L;
        static final String NAME = "CountingSha256";
        static final AtomicLong BYTES = new AtomicLong();

        CountingSha256() {
            super(NAME, "1", "counts the bytes SHA-256 hashes");
            put("MessageDigest.SHA-256", Spi.class.getName());
        }

        public static final class Spi extends MessageDigestSpi {
            private final MessageDigest sha;

            public Spi() throws NoSuchAlgorithmException, NoSuchProviderException {
                sha = MessageDigest.getInstance("SHA-256", "SUN");
            }

            @Override
            protected void engineUpdate(byte input) {
                BYTES.incrementAndGet();
                sha.update(input);
            }

            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                BYTES.addAndGet(len);
                sha.update(input, offset, len);
            }

            @Override
            protected byte[] engineDigest() {
                return sha.digest();
            }

            @Override
            protected void engineReset() {
                sha.reset();
            }
        }
    }
}
