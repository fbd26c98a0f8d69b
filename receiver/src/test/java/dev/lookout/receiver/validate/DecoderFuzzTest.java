package dev.lookout.receiver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.protocol.ErrorCode;
import dev.lookout.protocol.FrameHeader;
import dev.lookout.protocol.FrameReader;
import dev.lookout.protocol.FrameWriter;
import dev.lookout.protocol.ImageCipher;
import dev.lookout.protocol.ProtocolException;
import dev.lookout.receiver.support.Jpegs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mutator over what a hostile client controls: frame headers (through the
 * decoder and the reader) and JPEG bytes (through the check). Every input is either accepted or
 * refused with a {@link ProtocolException} of the expected codes; nothing else is thrown.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x4c4b494dL;
    private static final int HEADERS = 2_000_000;
    private static final int JPEGS = 1_000_000;

    @Test
    void frameHeadersAreDecodedOrRefused() throws IOException {
        List<byte[]> seeds = List.of(frame(null, "door"), frame(new ImageCipher(new byte[32]), "c".repeat(64)));
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int i = 0; i < HEADERS; i++) {
            byte[] input = mutate(seeds.get(i & 1), random);
            try {
                FrameHeader.decode(input);
                accepted++;
            } catch (ProtocolException refused) {
                assertEquals(ErrorCode.BAD_FRAME, refused.code(), refused.getMessage());
            }
            if (i % 64 == 0) {
                readAsAStream(input);
            }
        }
        System.out.printf("fuzz: %,d frame headers, %,d decoded, the rest refused%n", HEADERS, accepted);
        assertTrue(accepted > 0 && accepted < HEADERS, "the mutator reached both outcomes");
    }

    @Test
    void jpegsAreAcceptedOrRefused() {
        List<byte[]> seeds = List.of(Jpegs.noise(16, 16, 1), Jpegs.grey(9, 7, 2), Jpegs.progressive(24, 16, 3));
        SplittableRandom random = new SplittableRandom(SEED);
        int accepted = 0;
        for (int i = 0; i < JPEGS; i++) {
            byte[] input = mutate(seeds.get(i % seeds.size()), random);
            try {
                JpegCheck.check(input);
                accepted++;
            } catch (ProtocolException refused) {
                assertEquals(ErrorCode.BAD_IMAGE, refused.code(), refused.getMessage());
            }
        }
        System.out.printf("fuzz: %,d JPEGs checked, %,d accepted, the rest refused%n", JPEGS, accepted);
        assertTrue(accepted > 0 && accepted < JPEGS, "the mutator reached both outcomes");
    }

    private static void readAsAStream(byte[] input) throws IOException {
        try {
            new FrameReader(new ByteArrayInputStream(input), 1 << 20).next();
        } catch (ProtocolException refused) {
            assertTrue(Set.of(ErrorCode.BAD_FRAME, ErrorCode.TRUNCATED, ErrorCode.TOO_LARGE).contains(refused.code()),
                    refused.getMessage());
        }
    }

    /** One to eight changes: flipped bits, random bytes, cuts, repeats, inserted or removed runs, extreme lengths. */
    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b = seed.clone();
        int changes = 1 + random.nextInt(8);
        for (int c = 0; c < changes && b.length > 0; c++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
                case 4 -> b = splice(b, at, random.nextInt(1, 16), random);
                case 5 -> b = remove(b, at, random.nextInt(1, 16));
                default -> {
                    if (at + 1 < b.length) { // a 16-bit length at its extremes
                        int value = random.nextBoolean() ? 0xFFFF : random.nextInt(4);
                        b[at] = (byte) (value >> 8);
                        b[at + 1] = (byte) value;
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int n, SplittableRandom random) {
        byte[] out = new byte[b.length + n];
        System.arraycopy(b, 0, out, 0, at);
        for (int i = 0; i < n; i++) {
            out[at + i] = (byte) random.nextInt(256);
        }
        System.arraycopy(b, at, out, at + n, b.length - at);
        return out;
    }

    private static byte[] remove(byte[] b, int at, int n) {
        int end = Math.min(b.length, at + n);
        byte[] out = new byte[b.length - (end - at)];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, end, out, at, b.length - end);
        return out;
    }

    /** A header as the agent writes it, with its image's first bytes after it. */
    private static byte[] frame(ImageCipher cipher, String camera) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] image = Jpegs.grey(8, 8, 1);
        new FrameWriter(out, cipher).write(camera, 1_777_890_030_456L, new byte[16], false, image);
        byte[] all = out.toByteArray();
        int header = ((all[6] & 0xff) << 8) | (all[7] & 0xff);
        return java.util.Arrays.copyOf(all, header);
    }
}
