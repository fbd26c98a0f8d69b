package dev.lookout.agent.capture;

import java.io.IOException;

/**
 * One JPEG Huffman table (ITU T.81 annex C), built for decoding: codes of up to {@link #LOOKUP_BITS}
 * bits are found with one look-up of the next bits, longer ones (rare) length by length. Also the
 * standard tables of T.81 K.3, which Motion-JPEG frames without a DHT segment are coded with.
 */
final class HuffmanTable {
    static final int LOOKUP_BITS = 9;

    /** For each {@link #LOOKUP_BITS}-bit prefix: code length << 8 | symbol, or 0 when the code is longer. */
    final int[] lookup = new int[1 << LOOKUP_BITS];
    /**
     * For each prefix whose code and the bits that follow it (the value's size, its low four bits)
     * fit in the look-up: their total length << 8 | how far the zigzag position moves (run + 1; 16
     * for ZRL; 64 for end of block); else 0. For skipping a coefficient in one step.
     */
    final int[] skip = new int[1 << LOOKUP_BITS];
    /** For codes longer than the look-up: per length, the largest code (-1 if none) and its symbols' offset. */
    private final int[] maxCode = new int[17];
    private final int[] offset = new int[17];
    private final byte[] symbols;

    /**
     * @param counts  how many codes of each length 1–16 ({@code counts[0]} for length 1)
     * @param symbols the symbols, in code order
     * @param dc      a DC table, whose symbols are sizes of at most 11 bits
     * @throws IOException when the counts do not make a prefix code or do not match the symbols
     */
    HuffmanTable(int[] counts, byte[] symbols, boolean dc) throws IOException {
        this.symbols = symbols.clone();
        int code = 0;
        int index = 0;
        for (int length = 1; length <= 16; length++) {
            int count = counts[length - 1];
            offset[length] = index - code;
            if (code + count > 1 << length) {
                throw new IOException("bad Huffman table (too many codes of length " + length + ")");
            }
            for (int i = 0; i < count; i++, code++, index++) {
                if (index >= symbols.length) {
                    throw new IOException("bad Huffman table (fewer symbols than codes)");
                }
                if (length <= LOOKUP_BITS) {
                    int shift = LOOKUP_BITS - length;
                    int symbol = symbols[index] & 0xFF;
                    int size = symbol & 15;
                    int run = symbol >> 4;
                    int step = size != 0 ? run + 1 : run == 15 ? 16 : 64;
                    boolean skippable = length + size <= LOOKUP_BITS && (!dc || symbol <= 11);
                    for (int fill = code << shift, end = (code + 1) << shift; fill < end; fill++) {
                        lookup[fill] = length << 8 | symbol;
                        skip[fill] = skippable ? (length + size) << 8 | step : 0;
                    }
                }
            }
            maxCode[length] = count == 0 ? -1 : code - 1;
            code <<= 1;
        }
    }

    /**
     * The code at the top of {@code bits} (the next bits, most significant first) longer than the
     * look-up: its length << 8 | symbol; 0 when no code matches (corrupt data).
     */
    int decodeLong(long bits) {
        for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
            int code = (int) (bits >>> (64 - length));
            if (code <= maxCode[length]) {
                return length << 8 | symbols[code + offset[length]] & 0xFF;
            }
        }
        return 0;
    }

    /** The standard DC tables (T.81 tables K.3 and K.4). */
    static HuffmanTable standardDc(boolean chroma) throws IOException {
        return chroma
                ? new HuffmanTable(new int[] {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, range(12), true)
                : new HuffmanTable(new int[] {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, range(12), true);
    }

    /** The standard AC tables (T.81 tables K.5 and K.6). */
    static HuffmanTable standardAc(boolean chroma) throws IOException {
        return chroma
                ? new HuffmanTable(new int[] {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}, bytes(AC_CHROMA), false)
                : new HuffmanTable(new int[] {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}, bytes(AC_LUMA), false);
    }

    private static byte[] range(int n) {
        byte[] values = new byte[n];
        for (int i = 0; i < n; i++) {
            values[i] = (byte) i;
        }
        return values;
    }

    private static byte[] bytes(int[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static final int[] AC_LUMA = {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    };

    private static final int[] AC_CHROMA = {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    };
}
