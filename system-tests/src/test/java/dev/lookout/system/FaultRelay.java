package dev.lookout.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay that a fault test starts inside the receiver's network namespace, between the agent
 * and the receiver: it forwards both ways and, as told on standard input, delays every chunk
 * ({@code delay MS}), flips one bit in a share of the chunks going to the receiver ({@code flip P}:
 * bit flips past TCP, whose checksum would catch them on the wire), flips one bit in the fixed header
 * fields of a share of the frames ({@code header-flip P}: few bytes are header, so a flip anywhere
 * rarely hits one), stops reading from the agent ({@code stall}: a laptop that hangs, a link that
 * stops moving), or forwards cleanly again ({@code clean}). Prints {@code relay ready} once it
 * listens.
 *
 * <p>Usage: {@code FaultRelay LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT SEED}
 */
public final class FaultRelay {
    private static volatile long delayMillis;
    private static volatile double flipShare;
    private static volatile double headerFlipShare;
    private static volatile boolean stalled;
    private static final byte[] MAGIC = {'L', 'K', 'I', 'M'};
    /** The header's fixed fields after the magic: version, flags, header length, id, time, length. */
    private static final int FIXED_HEADER = 32;

    private FaultRelay() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
        Random random = new Random(Long.parseLong(args[4]));
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.setReceiveBufferSize(16 * 1024); // a stall backs up to the agent soon
        server.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
        Thread commands = new Thread(FaultRelay::readCommands, "commands");
        commands.setDaemon(true);
        commands.start();
        System.out.println("relay ready");
        System.out.flush();
        while (true) {
            Socket agent = server.accept();
            Socket receiver = new Socket();
            try {
                receiver.connect(target, 5000);
            } catch (IOException e) {
                agent.close();
                continue;
            }
            AtomicInteger open = new AtomicInteger(2);
            pump(agent, receiver, new Random(random.nextLong()), open);
            pump(receiver, agent, null, open);
        }
    }

    /** Commands on standard input; the relay ends with it (its test is gone). */
    private static void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.strip().split(" ");
                switch (words[0]) {
                    case "delay" -> delayMillis = Long.parseLong(words[1]);
                    case "flip" -> flipShare = Double.parseDouble(words[1]);
                    case "header-flip" -> headerFlipShare = Double.parseDouble(words[1]);
                    case "stall" -> stalled = true;
                    case "clean" -> {
                        stalled = false;
                        delayMillis = 0;
                        flipShare = 0;
                        headerFlipShare = 0;
                    }
                    default -> System.err.println("relay: unknown command " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("relay: " + e);
        }
        System.exit(0);
    }

    /**
     * Copies one direction on a thread of its own ({@code flips} set for the one towards the
     * receiver); the end of one side half-closes the other, and the last direction to end closes both.
     */
    private static void pump(Socket from, Socket to, Random flips, AtomicInteger open) {
        boolean upstream = flips != null;
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while (true) {
                    while (upstream && stalled) {
                        Thread.sleep(20);
                    }
                    n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    if (upstream) {
                        flip(buffer, n, flips);
                    }
                    out.write(buffer, 0, n);
                }
                to.shutdownOutput();
                if (open.decrementAndGet() == 0) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, upstream ? "up" : "down");
        thread.setDaemon(true);
        thread.start();
    }

    private static void flip(byte[] buffer, int n, Random flips) {
        if (flips.nextDouble() < flipShare) {
            buffer[flips.nextInt(n)] ^= (byte) (1 << flips.nextInt(8));
        }
        for (int at = 0; at + MAGIC.length < n; at++) {
            if (Arrays.equals(buffer, at, at + MAGIC.length, MAGIC, 0, MAGIC.length) && flips.nextDouble() < headerFlipShare) {
                int in = at + MAGIC.length + flips.nextInt(Math.min(FIXED_HEADER, n - at - MAGIC.length));
                buffer[in] ^= (byte) (1 << flips.nextInt(8));
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken: nothing left to close
        }
    }
}
