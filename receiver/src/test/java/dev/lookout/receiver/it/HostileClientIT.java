package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.PresharedKey;
import dev.lookout.receiver.ExitStatus;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.validate.JpegCheck;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.Trees;
import dev.lookout.receiver.support.Uploads;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker or a broken client can send, against the packaged receiver in its three launch
 * modes, with a key as installed: per connection ({@code systemd-socket-activate --accept --inetd},
 * as {@code Accept=yes}), a listener ({@code --listen}) and an inherited listening socket
 * ({@code systemd-socket-activate --inetd}, as {@code Accept=no}). Each case expects a clear
 * {@code ERR code} reply (or, for a reset, none), an error line in the log naming the client's
 * port, and per connection its exit status; no run may exit 70 or print a stack trace, nothing may
 * appear outside {@code <camera>/<day>/} or half written, and the images stored first stay as they were.
 */
class HostileClientIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("listening on /?(\\S+):(\\d+) ");
    private static final Pattern CHILD_EXIT = Pattern.compile("Child (\\d+) died with code (\\d+)");
    private static final Pattern TREE = Pattern.compile(
            "[A-Za-z0-9_-][A-Za-z0-9._-]*/(\\d{4}-\\d\\d-\\d\\d/\\d\\d-\\d\\d-\\d\\d\\.\\d{3}(-\\d+)?\\.jpg|latest\\.jpg|\\.ids/[0-9a-f]{32})");
    private static final ImageCipher OTHER_KEY = new ImageCipher(new byte[32]);
    private static final byte[] JPEG = Jpegs.noise(320, 240, 31);
    private static final byte[] JPEG2 = Jpegs.noise(320, 240, 32);

    @TempDir
    Path dir;

    /** Which launch mode a case list runs in; the per-connection mode gets a JVM per case. */
    private enum Mode { PER_CONNECTION, LISTENER, INHERITED_LISTENER }

    /**
     * One hostile client.
     *
     * @param send    what it does on the socket
     * @param reply   what every reply line must satisfy; {@code null}: no reply expected (a reset)
     * @param logged  the error token its log line must carry, or {@code null} for a stored image
     * @param exit    the per-connection exit status; -1: 65 or 77 (a flipped bit found by a check or by the tag)
     */
    private record Case(String name, Consumer<Socket> send, Predicate<String> reply, String logged, int exit) {
    }

    @Test
    void perConnection() throws Exception {
        run(Mode.PER_CONNECTION);
    }

    @Test
    void listener() throws Exception {
        run(Mode.LISTENER);
    }

    @Test
    void inheritedListener() throws Exception {
        run(Mode.INHERITED_LISTENER);
    }

    private void run(Mode mode) throws Exception {
        Path root = dir.resolve("images");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path keyFile = dir.resolve("receiver.key");
        PresharedKey.generate(keyFile);
        ImageCipher key = new ImageCipher(PresharedKey.read(keyFile));
        Files.createDirectories(root.resolve("trap"));
        Files.createSymbolicLink(root.resolve("evil"), outside);
        Files.createSymbolicLink(root.resolve("trap/2026-05-04"), outside);
        Path config = Program.config(dir, "dir=" + root, "key-file=" + keyFile, "min-free=0", "max-bytes=1MiB",
                "idle-timeout=2s", "deadline=6s", "time-zone=UTC", "idle-exit=5s");
        List<Case> cases = cases(key, mode);
        int activatorPort = Program.freePort();
        String address = "127.0.0.1:" + activatorPort;
        List<String> launcher = List.of(Program.LAUNCHER.toString(), "--config", config.toString());
        List<String> command = switch (mode) {
            case PER_CONNECTION -> Program.activate(List.of("--accept", "--inetd"), address, launcher);
            case INHERITED_LISTENER -> Program.activate(List.of("--inetd"), address, launcher);
            case LISTENER -> {
                List<String> c = new ArrayList<>(launcher);
                c.addAll(List.of("--listen", "127.0.0.1:0"));
                yield c;
            }
        };
        int passed = 0;
        int port = activatorPort;
        try (Program receiver = Program.start(command)) {
            if (mode == Mode.LISTENER) {
                Matcher m = LISTENING.matcher(receiver.awaitLine(line -> LISTENING.matcher(line).find(), WAIT));
                assertTrue(m.find());
                port = Integer.parseInt(m.group(2));
            } else {
                receiver.awaitLine(line -> line.startsWith("Listening on"), WAIT);
            }
            Map<String, byte[]> earlier = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                byte[] image = Jpegs.noise(160, 120, 100 + i);
                byte[] upload = Uploads.frame(key, i == 1 ? "yard" : "door", Uploads.CAPTURE - 86_400_000L + i,
                        Uploads.id(900 + i), image);
                List<String> ok = exchange(port, out -> write(out, upload));
                assertTrue(ok.size() == 1 && ok.get(0).startsWith("OK "), ok.toString());
                earlier.put(ok.get(0).substring(3), image);
            }
            int children = mode == Mode.PER_CONNECTION ? 3 : 0;
            if (mode == Mode.PER_CONNECTION) {
                receiver.awaitChildExits(children, WAIT);
            }
            for (Case c : cases) {
                String what = mode + " " + c.name();
                List<String> replies;
                int clientPort;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    socket.setSoTimeout((int) WAIT.toMillis());
                    clientPort = socket.getLocalPort();
                    c.send().accept(socket);
                    replies = socket.isClosed() ? List.of() : lines(socket.getInputStream());
                }
                if (c.reply() == null) {
                    assertEquals(List.of(), replies, what);
                } else {
                    assertTrue(!replies.isEmpty() && replies.stream().allMatch(c.reply()), what + ": " + replies);
                }
                String peer = "peer=127.0.0.1:" + clientPort + " ";
                String logged = c.logged() == null ? "stored " + peer : "error=" + c.logged();
                boolean resetEarly = mode == Mode.PER_CONNECTION && c.reply() == null; // maybe before the JVM started
                receiver.awaitLine(line -> line.contains(peer) && line.contains(logged)
                        || resetEarly && line.startsWith("Error: ") && line.contains("reset"), WAIT);
                if (mode == Mode.PER_CONNECTION) {
                    children++;
                    int code = receiver.awaitChildExits(children, WAIT).get(children - 1);
                    assertTrue(c.exit() < 0 ? code == 65 || code == 77 : code == c.exit(), what + ": " + code);
                }
                passed++;
            }
            if (mode != Mode.INHERITED_LISTENER) {
                receiver.process().destroy(); // the listener drains; the activator stops (the inherited listener exits idle)
            }
            int exit = receiver.awaitExit(WAIT);
            String log = receiver.stderr();
            if (mode != Mode.PER_CONNECTION) {
                assertEquals(0, exit, log);
            }
            assertTrue(log.lines().noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread")), log);
            assertTrue(log.lines().noneMatch(line -> CHILD_EXIT.matcher(line).find() && line.endsWith(" 70")), log);
            assertTrue(log.lines().noneMatch(line -> line.startsWith("Error: ") && !line.contains("reset")), log);
            for (Map.Entry<String, byte[]> image : earlier.entrySet()) {
                assertArrayEquals(image.getValue(), Files.readAllBytes(root.resolve(image.getKey())), image.getKey());
            }
        }
        assertEquals(List.of(), Trees.files(outside), "nothing outside the root");
        for (String file : Trees.files(root)) {
            assertTrue(TREE.matcher(file).matches() || file.equals("trap/2026-05-04") || file.equals("evil"), file);
        }
        System.out.printf("hostile clients, %s: %d of %d cases passed%n", mode, passed, cases.size());
    }

    /** The per-connection mode runs the cases that differ in how a connection ends; the listeners run all. */
    private List<Case> cases(ImageCipher key, Mode mode) {
        List<Case> all = new ArrayList<>();
        Predicate<String> retryable = reply -> {
            ErrorCode code = reply.startsWith("ERR ") ? ErrorCode.fromToken(reply.split(" ")[1]) : null;
            return code != null && code.retryable();
        };
        byte[] good = Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(1), JPEG);
        int headerBytes = ByteBuffer.wrap(good).getShort(6);
        // malformed headers: found before the header can be authenticated, so retryable with a key
        all.add(refused("garbage", "garbage\n".getBytes(StandardCharsets.US_ASCII), "unverified"));
        all.add(refused("bad magic", patch(good, b -> b.put(3, (byte) 'X')), "unverified"));
        for (int version : new int[] {0, 2, 255}) {
            all.add(refused("version " + version, patch(good, b -> b.put(4, (byte) version)), "unverified"));
        }
        for (int flags : new int[] {0x04, 0x80, 0x00}) {
            all.add(refused("flags " + flags, patch(good, b -> b.put(5, (byte) flags)), "unverified"));
        }
        for (int size : new int[] {0, 10, 69, 513, 60000}) {
            all.add(refused("header length " + size, patch(good, b -> b.putShort(6, (short) size)), "unverified"));
        }
        for (int size = 70; size <= 80; size++) { // ENCRYPTED, too short for the nonce and a name
            byte[] repro = ByteBuffer.allocate(size).put(FrameHeader.MAGIC).put((byte) 1).put((byte) 1)
                    .putShort((short) size).put(new byte[24]).putInt(1).array();
            all.add(refused("short encrypted header " + size, repro, "unverified"));
        }
        for (int length : new int[] {0, 65, 255}) {
            all.add(refused("camera length " + length, patch(good, b -> b.put(80, (byte) length)), "unverified"));
        }
        for (int length : new int[] {0, -1, (1 << 20) + 1, Integer.MAX_VALUE, 1 << 30}) {
            all.add(refused("image length " + length, patch(good, b -> b.putInt(32, length)), "unverified"));
        }
        // truncations
        for (int cut : new int[] {1, 3, 7, 8, 40, headerBytes - 1, headerBytes, headerBytes + 100, good.length - 1}) {
            all.add(refused("cut at " + cut, Arrays.copyOf(good, cut), "truncated"));
        }
        all.add(refused("empty", new byte[0], "empty"));
        // names: authenticated, then refused for good
        for (String camera : new String[] {"..", ".", ".stored", ".gallery", ".ids", ".x", "index.html", "latest.jpg",
            "keep", "a/b", "../etc", "sp ace", "nul\0x", "x\nINFO forged", "c".repeat(65)}) {
            byte[] frame = camera.length() > 64 ? patch(good, b -> b.put(80, (byte) 65))
                    : Uploads.frame(key, camera, Uploads.CAPTURE, Uploads.id(2), JPEG);
            all.add(refused("camera " + camera.replace("\n", "\\n").replace("\0", "\\0"), frame,
                    camera.length() > 64 ? "unverified" : "bad-camera"));
        }
        // keys and raw uploads
        all.add(refused("other key", Uploads.frame(OTHER_KEY, "door", Uploads.CAPTURE, Uploads.id(3), JPEG), "auth"));
        all.add(refused("no key", Uploads.frame(null, "door", Uploads.CAPTURE, Uploads.id(3), JPEG), "auth"));
        all.add(refused("raw jpeg", JPEG, "raw-refused"));
        // bad images, authenticated
        all.add(refused("not a jpeg", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(4), "GIF89a".getBytes()), "bad-image"));
        all.add(refused("21-byte non-image", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(5),
                HexFormat.of().parseHex("FFD8FFC0000B080001000101011100FFDA0002FFD9")), "bad-image"));
        all.add(refused("truncated jpeg", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(6),
                Arrays.copyOf(JPEG, JPEG.length / 2)), "bad-image"));
        // flipped bits anywhere in the header, and in the ciphertext and tag
        for (int bit : new int[] {0, 33, 39, 40, 44, 47, 50, 60, 63, 70, 130, 200, 258, 270, 287, 300, 400, 540, 600,
            646, 650, 660, (headerBytes + 10) * 8, good.length * 8 - 1}) {
            byte[] flipped = good.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            all.add(new Case("flipped bit " + bit, out -> write(out, flipped), retryable, "", -1)); // exit 65 or 77
        }
        // replays
        byte[] original = Uploads.frame(key, "door", Uploads.CAPTURE + 5, Uploads.id(7), JPEG2);
        all.add(stored("original", original));
        all.add(stored("retry", original));
        all.add(refused("same id, other image", Uploads.frame(key, "door", Uploads.CAPTURE + 5, Uploads.id(7), JPEG), "replay"));
        all.add(stored("replayed a day later", Uploads.frame(key, "door", Uploads.CAPTURE + 86_400_000L, Uploads.id(7), JPEG2)));
        // links under the root
        all.add(refused("camera folder is a link", Uploads.frame(key, "evil", Uploads.CAPTURE, Uploads.id(8), JPEG), "io"));
        all.add(refused("day folder is a link", Uploads.frame(key, "trap", Uploads.CAPTURE, Uploads.id(9), JPEG), "io"));
        // a good frame, then garbage on the same connection
        byte[] mixed = concat(Uploads.frame(key, "door", Uploads.CAPTURE + 9, Uploads.id(10), JPEG), "junk, junk and more junk".getBytes());
        all.add(new Case("good then junk", out -> write(out, mixed), reply -> reply.startsWith("OK door/")
                || reply.startsWith("ERR unverified "), "unverified", 65));
        // slow and silent clients, resets
        all.add(new Case("silent", out -> { }, reply -> reply.startsWith("ERR timeout "), "timeout", 65));
        all.add(new Case("slow drip", out -> drip(out, good), reply -> reply.startsWith("ERR timeout "), "timeout", 65));
        all.add(new Case("reset mid-image", out -> reset(out, Arrays.copyOf(good, good.length / 2)), null, "truncated", 65));
        all.add(new Case("reset mid-header", out -> reset(out, Arrays.copyOf(good, 20)), null, "truncated", 65));
        // lengths, names and images at their limits, and clients that stop or dawdle after a good start
        all.add(refused("body shorter than announced", patch(good, b -> b.putInt(32, JPEG.length + 1000)), "truncated"));
        all.add(refused("tag cut in half", Arrays.copyOf(good, good.length - ImageCipher.TAG_BYTES / 2), "truncated"));
        all.add(stored("same id, other camera", "yard", Uploads.frame(key, "yard", Uploads.CAPTURE + 5, Uploads.id(7), JPEG)));
        all.add(stored("camera of 64 characters", "c".repeat(64), Uploads.frame(key, "c".repeat(64), Uploads.CAPTURE, Uploads.id(11), JPEG)));
        all.add(refused("camera kämera in UTF-8", utf8Camera(key, "kämera", Uploads.id(12), JPEG), "bad-camera"));
        all.add(refused("camera %2e%2e", Uploads.frame(key, "%2e%2e", Uploads.CAPTURE, Uploads.id(13), JPEG), "bad-camera"));
        all.add(refused("jpeg then junk", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(14),
                concat(JPEG, "trailing junk".getBytes(StandardCharsets.US_ASCII))), "bad-image"));
        all.add(stored("jpeg then zero padding", "door", Uploads.frame(key, "door", Uploads.CAPTURE + 14, Uploads.id(15),
                concat(JPEG, new byte[64]))));
        all.add(refused("png", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(16), png()), "bad-image"));
        all.add(refused("jpeg of 65535x65535", Uploads.frame(key, "door", Uploads.CAPTURE, Uploads.id(17),
                resized(JPEG, 65535)), "bad-image"));
        // a 16384x16384 picture in 10 KB would take 800 MB decoded: stored as it came, never decoded
        all.add(stored("jpeg of 16384x16384 in a small file", "door", Uploads.frame(key, "door", Uploads.CAPTURE + 17,
                Uploads.id(18), resized(JPEG, JpegCheck.MAX_DIMENSION))));
        all.add(new Case("silent after the magic", out -> pause(out, FrameHeader.MAGIC, 1),
                reply -> reply.startsWith("ERR timeout "), "timeout", 65));
        byte[] dripped = Uploads.frame(key, "door", Uploads.CAPTURE + 19, Uploads.id(19), JPEG);
        all.add(new Case("slow drip within the deadline", out -> pause(out, dripped, 4), reply -> reply.startsWith("OK door/"), null, 0));
        if (mode != Mode.PER_CONNECTION) {
            return all;
        }
        List<Case> some = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) { // every fourth, and every case that ends a connection differently
            Case c = all.get(i);
            boolean special = c.reply() == null || c.name().startsWith("silent") || c.name().startsWith("slow")
                    || c.name().contains("link") || c.name().startsWith("other key") || c.name().startsWith("short encrypted header 70")
                    || c.name().startsWith("original") || c.name().startsWith("retry") || c.name().startsWith("same id")
                    || c.name().startsWith("replayed") || c.name().startsWith("21-byte") || c.name().startsWith("image length");
            if (special || i % 4 == 0) {
                some.add(c);
            }
        }
        return some;
    }

    private static Case refused(String name, byte[] upload, String code) {
        int exit = ExitStatus.of(ErrorCode.fromToken(code)).code();
        return new Case(name, out -> write(out, upload), reply -> reply.startsWith("ERR " + code + " "), code, exit);
    }

    private static Case stored(String name, byte[] upload) {
        return stored(name, "door", upload);
    }

    private static Case stored(String name, String camera, byte[] upload) {
        return new Case(name, out -> write(out, upload), reply -> reply.startsWith("OK " + camera + "/"), null, 0);
    }

    /** A frame sealed with the key whose camera name is {@code camera} in UTF-8, as no agent writes it. */
    private static byte[] utf8Camera(ImageCipher key, String camera, byte[] id, byte[] jpeg) {
        byte[] name = camera.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[ImageCipher.NONCE_BYTES];
        byte[] header = new FrameHeader(FrameHeader.ENCRYPTED, id, Uploads.CAPTURE, jpeg.length, FrameWriter.sha256(jpeg),
                nonce, "x".repeat(name.length)).encode();
        System.arraycopy(name, 0, header, header.length - name.length, name.length);
        return concat(header, key.seal(nonce, header, jpeg));
    }

    /** {@code jpeg} with its frame header (SOF0) declaring {@code size}x{@code size}, the scan left as it was. */
    private static byte[] resized(byte[] jpeg, int size) {
        ByteBuffer b = ByteBuffer.wrap(jpeg.clone());
        int pos = 2;
        while (b.get(pos + 1) != (byte) 0xC0) {
            pos += 2 + (b.getShort(pos + 2) & 0xffff);
        }
        b.putShort(pos + 5, (short) size).putShort(pos + 7, (short) size);
        return b.array();
    }

    private static byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] patch(byte[] frame, Consumer<ByteBuffer> change) {
        byte[] b = frame.clone();
        change.accept(ByteBuffer.wrap(b));
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Writes and half-closes; a receiver that stops reading early ends the writing, not the case. */
    private static void write(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.shutdownOutput();
        } catch (IOException refusedEarly) {
            // the receiver answered and closed before taking it all
        }
    }

    /** One byte a second: each within the idle timeout, the whole past the deadline. */
    private static void drip(Socket socket, byte[] bytes) {
        try {
            for (int i = 0; i < 8; i++) {
                socket.getOutputStream().write(bytes[i]);
                Thread.sleep(1000); // the slow client itself: its pace is the case
            }
        } catch (IOException | InterruptedException cutOff) {
            // the receiver ended it
        }
    }

    /**
     * Sends {@code bytes} in {@code pieces} a second apart (each within the idle timeout, all within the
     * deadline) and half-closes; with one piece it sends them and then waits for the receiver.
     */
    private static void pause(Socket socket, byte[] bytes, int pieces) {
        try {
            int step = (bytes.length + pieces - 1) / pieces;
            for (int from = 0; from < bytes.length; from += step) {
                if (from > 0) {
                    Thread.sleep(1000); // the slow client itself: its pace is the case
                }
                socket.getOutputStream().write(bytes, from, Math.min(step, bytes.length - from));
            }
            if (pieces > 1) {
                socket.shutdownOutput();
            }
        } catch (IOException | InterruptedException cutOff) {
            // the receiver ended it
        }
    }

    /** Sends {@code bytes}, then resets the connection (SO_LINGER 0). */
    private static void reset(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> exchange(int port, Consumer<Socket> send) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            send.accept(socket);
            return lines(socket.getInputStream());
        }
    }

    private static List<String> lines(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (java.net.SocketException reset) {
            // replies read before a reset still count
        }
        String text = all.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
