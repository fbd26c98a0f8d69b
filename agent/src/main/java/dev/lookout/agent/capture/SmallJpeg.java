package dev.lookout.agent.capture;

import dev.lookout.jpeg.Segments;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns a baseline JPEG into the small grey picture detection looks at without decoding the full
 * frame: the scan is Huffman-decoded (every block, to advance through the bits) but only the luma
 * blocks' lowest coefficients are kept, each block becoming 2×2 pixels (1/4 scale: the DC and the
 * three lowest AC coefficients through a 2×2 inverse DCT) or one pixel (1/8 scale: the DC), exactly
 * as ffmpeg's decoder does with {@code -lowres 2} or {@code 3}; that picture is then area-scaled
 * to the width asked for, as {@code scale=W:-2:flags=area,format=gray} does after it.
 *
 * <p>Reads SOF0 and SOF1 frames of 8 bits, 1 or 3 components with sampling factors 1 or 2 (the
 * luma's the largest), interleaved or not, with restart intervals, and tables defined anywhere
 * before the scan that uses them; frames without Huffman tables (Motion-JPEG) are read with the
 * standard ones of ITU T.81 K.3. Anything else — progressive, arithmetic-coded, lossless, 12-bit,
 * over {@value #MAX_SIDE} pixels a side, damaged — is refused with an {@link IOException} (an
 * {@link Unsupported} one where a full decoder could read the frame), in time
 * and memory bounded by the JPEG's length and that size: camera bytes are not trusted. So is a frame
 * that would make it work more than a real one does: over {@value #MAX_MARKERS} markers before its
 * end, over {@value #MAX_HUFFMAN_TABLES} Huffman tables, more scans than components (each
 * component is in one scan of a baseline frame, and each scan with the luma decodes it all), or
 * more restart markers in a scan than it has restart intervals. A damaged
 * frame may also give a picture with wrong pixels. One decoder per source: not thread-safe; its
 * buffers are reused from frame to frame.
 */
final class SmallJpeg {
    /** The largest width and height read. */
    static final int MAX_SIDE = 8192;
    /** The most markers read in a frame: a camera's frame has about 15 (SOI, APPn, DQT, SOF, DHT, SOS, EOI). */
    static final int MAX_MARKERS = 256;
    /** The most Huffman tables defined in a frame: each is built for decoding; a frame uses at most 8 at a time. */
    static final int MAX_HUFFMAN_TABLES = 32;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final HuffmanTable[] STANDARD_DC = {standard(true, false), standard(true, true)};
    private static final HuffmanTable[] STANDARD_AC = {standard(false, false), standard(false, true)};

    private final int width;
    private final int lowres;
    /** Pixels per block side in the reduced picture: 2 at 1/4 scale, 1 at 1/8. */
    private final int blockPixels;
    /** How many coefficients, in zigzag order, each luma block keeps. */
    private final int kept;

    private final int[][] quant = new int[4][];
    private final HuffmanTable[] dcTables = new HuffmanTable[4];
    private final HuffmanTable[] acTables = new HuffmanTable[4];
    private int frameWidth;
    private int frameHeight;
    private int components;
    private final int[] ids = new int[3];
    private final int[] horizontal = new int[3];
    private final int[] vertical = new int[3];
    private final int[] quantOf = new int[3];
    private int restartInterval;
    private boolean lumaDecoded;
    private int huffmanTables;
    private int scans;

    /** The entropy-coded data of a scan with stuffing and markers removed; a restart interval starts at each offset. */
    private byte[] data = new byte[64 * 1024];
    private int[] segments = new int[64];
    private int segmentCount;
    /** The reduced luma picture, {@link #planeStride} bytes a row. */
    private byte[] plane = new byte[0];
    private int planeStride;

    private long bits;
    private int count;
    private int pos;
    private int end;
    /** Zero bytes fed past the end of the current interval's data. */
    private int padded;
    private int dcPrediction;
    private final int[] coefficients = new int[5];

    /**
     * @param width  the width of the pictures made; their height keeps the frame's aspect, even
     * @param lowres 2 (1/4 scale) or 3 (1/8), as ffmpeg's {@code -lowres}, the scale the frames are
     *               decoded at before the area scaling
     */
    SmallJpeg(int width, int lowres) {
        if (!supports(lowres) || width <= 0) {
            throw new IllegalArgumentException("lowres " + lowres + " at width " + width);
        }
        this.width = width;
        this.lowres = lowres;
        this.blockPixels = 8 >> lowres;
        this.kept = lowres == 2 ? 5 : 1;
    }

    /** Whether frames can be decoded at this {@code -lowres} level. */
    static boolean supports(int lowres) {
        return lowres == 2 || lowres == 3;
    }

    /** The small grey picture (TYPE_BYTE_GRAY) of the JPEG. */
    BufferedImage decode(byte[] jpeg) throws IOException {
        start();
        if (jpeg.length < 4 || jpeg[0] != (byte) 0xFF || jpeg[1] != (byte) 0xD8) {
            throw new IOException("not a JPEG");
        }
        Segments segments = new Segments(jpeg, 2);
        for (int markers = 0; ; markers++) {
            if (markers == MAX_MARKERS) {
                throw new IOException("over " + MAX_MARKERS + " markers in the JPEG");
            }
            int marker = segments.next();
            if (marker == Segments.END) {
                if (lumaDecoded) {
                    break;
                }
                throw new IOException("the JPEG ends before its image");
            }
            if (marker == Segments.NOT_A_MARKER) {
                throw new IOException("expected a marker in the JPEG");
            }
            if (marker == 0xD9) {
                if (!lumaDecoded) {
                    throw new IOException("the JPEG has no image");
                }
                break;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                continue;
            }
            int length = segments.length();
            if (length == Segments.NO_LENGTH) {
                throw new IOException("the JPEG ends inside a segment");
            }
            if (length == Segments.BAD_LENGTH) {
                throw new IOException("bad segment length in the JPEG");
            }
            int body = segments.body();
            int next = segments.end();
            switch (marker) {
                case 0xC0, 0xC1 -> frame(jpeg, body, next);
                case 0xC4 -> huffmanTables(jpeg, body, next);
                case 0xDB -> quantTables(jpeg, body, next);
                case 0xDD -> restartInterval = length == 4 ? (jpeg[body] & 0xFF) << 8 | jpeg[body + 1] & 0xFF : -1;
                case 0xDA -> segments.moveTo(scan(jpeg, body, next));
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
                    size(jpeg, body, next);
                    throw unsupported("not a baseline JPEG (SOF" + (marker - 0xC0) + ")");
                }
                case 0xC8, 0xCC, 0xDC, 0xDE, 0xDF -> throw new IOException(String.format(
                        "unsupported JPEG marker FF%02X", marker));
                default -> {
                    // APPn, COM and the like: nothing the picture needs
                }
            }
            if (restartInterval < 0) {
                throw new IOException("bad restart interval in the JPEG");
            }
        }
        return picture();
    }

    private void start() {
        Arrays.fill(quant, null);
        Arrays.fill(dcTables, null);
        Arrays.fill(acTables, null);
        System.arraycopy(STANDARD_DC, 0, dcTables, 0, 2);
        System.arraycopy(STANDARD_AC, 0, acTables, 0, 2);
        components = 0;
        restartInterval = 0;
        lumaDecoded = false;
        huffmanTables = 0;
        scans = 0;
    }

    private void frame(byte[] jpeg, int at, int end) throws IOException {
        if (components != 0) {
            throw new IOException("two frames in the JPEG");
        }
        size(jpeg, at, end);
        if (jpeg[at] != 8) {
            throw unsupported("unsupported JPEG precision: " + jpeg[at] + " bits");
        }
        int n = jpeg[at + 5] & 0xFF;
        if (end - at < 6 + 3 * n) {
            throw new IOException("bad frame header in the JPEG");
        }
        if (n != 1 && n != 3) {
            throw unsupported("unsupported JPEG: " + n + " components");
        }
        for (int c = 0; c < n; c++) {
            int p = at + 6 + 3 * c;
            ids[c] = jpeg[p] & 0xFF;
            horizontal[c] = (jpeg[p + 1] & 0xFF) >> 4;
            vertical[c] = jpeg[p + 1] & 0x0F;
            quantOf[c] = jpeg[p + 2] & 0xFF;
            if (horizontal[c] < 1 || horizontal[c] > 4 || vertical[c] < 1 || vertical[c] > 4 || quantOf[c] > 3) {
                throw new IOException("bad sampling or table in component " + c + " of the JPEG");
            }
            if (horizontal[c] > 2 || vertical[c] > 2 || horizontal[c] > horizontal[0] || vertical[c] > vertical[0]) {
                throw unsupported("unsupported JPEG sampling in component " + c);
            }
        }
        components = n;
    }

    /** Reads the frame size of the frame header {@code jpeg[at, end)}, any kind; refuses sizes not read. */
    private void size(byte[] jpeg, int at, int end) throws IOException {
        if (end - at < 6) {
            throw new IOException("bad frame header in the JPEG");
        }
        frameHeight = (jpeg[at + 1] & 0xFF) << 8 | jpeg[at + 2] & 0xFF;
        frameWidth = (jpeg[at + 3] & 0xFF) << 8 | jpeg[at + 4] & 0xFF;
        if (frameHeight == 0 || frameWidth == 0 || frameHeight > MAX_SIDE || frameWidth > MAX_SIDE) {
            throw new IOException("unsupported JPEG size " + frameWidth + "x" + frameHeight);
        }
    }

    private void huffmanTables(byte[] jpeg, int at, int end) throws IOException {
        while (at < end) {
            int kind = (jpeg[at] & 0xFF) >> 4;
            int slot = jpeg[at] & 0x0F;
            if (kind > 1 || slot > 3 || end - at < 17) {
                throw new IOException("bad Huffman table in the JPEG");
            }
            if (++huffmanTables > MAX_HUFFMAN_TABLES) {
                throw new IOException("over " + MAX_HUFFMAN_TABLES + " Huffman tables in the JPEG");
            }
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) {
                counts[i] = jpeg[at + 1 + i] & 0xFF;
                total += counts[i];
            }
            at += 17;
            if (total > 256 || end - at < total) {
                throw new IOException("bad Huffman table in the JPEG");
            }
            HuffmanTable table = new HuffmanTable(counts, Arrays.copyOfRange(jpeg, at, at + total), kind == 0);
            (kind == 0 ? dcTables : acTables)[slot] = table;
            at += total;
        }
    }

    private void quantTables(byte[] jpeg, int at, int end) throws IOException {
        while (at < end) {
            int precision = (jpeg[at] & 0xFF) >> 4;
            int slot = jpeg[at] & 0x0F;
            int size = precision == 0 ? 64 : 128;
            if (precision > 1 || slot > 3 || end - at < 1 + size) {
                throw new IOException("bad quantisation table in the JPEG");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[k] = precision == 0 ? jpeg[at + 1 + k] & 0xFF
                        : (jpeg[at + 1 + 2 * k] & 0xFF) << 8 | jpeg[at + 2 + 2 * k] & 0xFF;
            }
            quant[slot] = table;
            at += 1 + size;
        }
    }

    /** Reads the scan whose header is {@code jpeg[at, end)}; returns where the marker after its data starts. */
    private int scan(byte[] jpeg, int at, int end) throws IOException {
        if (components == 0) {
            throw new IOException("a scan before the frame header in the JPEG");
        }
        if (++scans > components) {
            throw new IOException("more scans than components in the JPEG");
        }
        int n = jpeg[at] & 0xFF;
        if (n < 1 || n > components || end - at != 4 + 2 * n) {
            throw new IOException("bad scan header in the JPEG");
        }
        int[] members = new int[n];
        HuffmanTable[] dc = new HuffmanTable[n];
        HuffmanTable[] ac = new HuffmanTable[n];
        boolean luma = false;
        for (int i = 0; i < n; i++) {
            int id = jpeg[at + 1 + 2 * i] & 0xFF;
            int c = 0;
            while (c < components && ids[c] != id) {
                c++;
            }
            if (c == components) {
                throw new IOException("a scan of an unknown component in the JPEG");
            }
            members[i] = c;
            luma |= c == 0;
            int tables = jpeg[at + 2 + 2 * i] & 0xFF;
            dc[i] = dcTables[tables >> 4 & 3];
            ac[i] = acTables[tables & 3];
            if (dc[i] == null || ac[i] == null || (tables & 0xCC) != 0) {
                throw new IOException("a scan without its Huffman tables in the JPEG");
            }
        }
        int p = at + 1 + 2 * n;
        if (jpeg[p] != 0 || jpeg[p + 1] != 63 || jpeg[p + 2] != 0) {
            throw unsupported("not a baseline JPEG scan");
        }
        int next = unstuff(jpeg, end, maxIntervals());
        if (!luma) {
            return next; // only chroma: not needed, and its bits advance nothing else
        }
        if (quant[quantOf[0]] == null) {
            throw new IOException("no quantisation table for the luma in the JPEG");
        }
        decodeLuma(members, dc, ac);
        lumaDecoded = true;
        return next;
    }

    /**
     * Copies the entropy-coded data from {@code at} into {@link #data} without its stuffed zero bytes,
     * noting where each restart interval starts; returns where the marker that ends it starts.
     */
    private int unstuff(byte[] jpeg, int at, int maxIntervals) throws IOException {
        if (data.length < jpeg.length - at) {
            data = new byte[jpeg.length - at];
        }
        int out = 0;
        segmentCount = 0;
        segment(0);
        int length = jpeg.length;
        while (at < length) {
            int ff = at;
            while (ff + Long.BYTES <= length && !MjpegStream.hasFF((long) LONGS.get(jpeg, ff))) {
                ff += Long.BYTES;
            }
            while (ff < length && jpeg[ff] != (byte) 0xFF) {
                ff++;
            }
            System.arraycopy(jpeg, at, data, out, ff - at);
            out += ff - at;
            if (ff >= length) {
                at = length;
                break;
            }
            int after = ff + 1;
            while (after < length && jpeg[after] == (byte) 0xFF) {
                after++;
            }
            if (after >= length) {
                at = length;
                break;
            }
            int marker = jpeg[after] & 0xFF;
            if (marker == 0) {
                data[out++] = (byte) 0xFF;
                at = after + 1;
            } else if (marker >= 0xD0 && marker <= 0xD7) {
                if (segmentCount > maxIntervals) {
                    throw new IOException("more restart markers than restart intervals in the JPEG");
                }
                segment(out);
                at = after + 1;
            } else {
                at = ff;
                break;
            }
        }
        segment(out);
        return at;
    }

    /**
     * The most restart markers a scan of this frame can hold: one after each restart interval but the
     * last, and one spare; its MCUs (at most the luma's blocks: those of a scan of one component, the
     * most there are) over the restart interval. Without one, as many as blocks (ignored, as before).
     */
    private int maxIntervals() {
        long blocks = (long) ((frameWidth + 7) / 8 * horizontal[0]) * ((frameHeight + 7) / 8 * vertical[0]);
        return (int) ((blocks + Math.max(1, restartInterval) - 1) / Math.max(1, restartInterval));
    }

    private void segment(int offset) {
        if (segmentCount == segments.length) {
            segments = Arrays.copyOf(segments, segmentCount * 2);
        }
        segments[segmentCount++] = offset;
    }

    private void decodeLuma(int[] members, HuffmanTable[] dc, HuffmanTable[] ac) throws IOException {
        int maxH = horizontal[0];
        int maxV = vertical[0];
        boolean interleaved = members.length > 1;
        int mcuColumns;
        int mcuRows;
        if (interleaved) {
            mcuColumns = (frameWidth + 8 * maxH - 1) / (8 * maxH);
            mcuRows = (frameHeight + 8 * maxV - 1) / (8 * maxV);
        } else {
            mcuColumns = (frameWidth + 7) / 8;
            mcuRows = (frameHeight + 7) / 8;
        }
        int blockColumns = (frameWidth + 8 * maxH - 1) / (8 * maxH) * maxH;
        int blockRows = (frameHeight + 8 * maxV - 1) / (8 * maxV) * maxV;
        planeStride = blockColumns * blockPixels;
        int size = planeStride * blockRows * blockPixels;
        if (plane.length < size) {
            plane = new byte[size];
        }
        int[] q = quant[quantOf[0]];
        int segment = 0;
        restart(segment);
        long mcus = 0;
        for (int my = 0; my < mcuRows; my++) {
            for (int mx = 0; mx < mcuColumns; mx++) {
                if (restartInterval > 0 && mcus > 0 && mcus % restartInterval == 0) {
                    checkNotOverrun();
                    if (++segment >= segmentCount - 1) {
                        throw new IOException("the JPEG has fewer restart markers than intervals");
                    }
                    restart(segment);
                }
                mcus++;
                for (int i = 0; i < members.length; i++) {
                    int c = members[i];
                    int h = interleaved ? horizontal[c] : 1;
                    int v = interleaved ? vertical[c] : 1;
                    for (int by = 0; by < v; by++) {
                        for (int bx = 0; bx < h; bx++) {
                            if (c == 0) {
                                block(dc[i], ac[i], kept, q);
                                put((mx * h + bx) * blockPixels, (my * v + by) * blockPixels);
                            } else {
                                block(dc[i], ac[i], 0, q);
                            }
                        }
                    }
                }
            }
            checkNotOverrun();
        }
    }

    private void restart(int segment) {
        pos = segments[segment];
        end = segments[segment + 1];
        bits = 0;
        count = 0;
        padded = 0;
        dcPrediction = 4 << 8; // the level shift: 128 times the DC gain of 8
    }

    private void checkNotOverrun() throws IOException {
        if (padded * 8 > count) {
            throw new IOException("the JPEG's coded data ends early");
        }
    }

    /**
     * Decodes one block, keeping its first {@code keep} coefficients in zigzag order, dequantised (the
     * DC with the prediction: only luma blocks are kept, and only their prediction is followed); the
     * others are skipped a code and value at a time. The bit buffer is held in locals here, where
     * almost all of the time goes, and its top-up is written out before each of the three codes
     * read: one loop with a single top-up, or the buffer in fields, measured 5–10 % slower.
     */
    private void block(HuffmanTable dc, HuffmanTable ac, int keep, int[] q) throws IOException {
        long b = bits;
        int n = count;
        if (n < 32) {
            if (pos + 4 <= end) {
                b |= ((int) INTS.get(data, pos) & 0xFFFFFFFFL) << (32 - n);
                pos += 4;
                n += 32;
            } else {
                refill(b, n);
                b = bits;
                n = count;
            }
        }
        int k = 1;
        int skip = dc.skip[(int) (b >>> (64 - HuffmanTable.LOOKUP_BITS))];
        if (keep == 0 && skip != 0) {
            b <<= skip >>> 8;
            n -= skip >>> 8;
        } else {
            int entry = dc.lookup[(int) (b >>> (64 - HuffmanTable.LOOKUP_BITS))];
            if (entry == 0) {
                entry = longCode(dc, b);
            }
            b <<= entry >>> 8;
            n -= entry >>> 8;
            int size = entry & 0xFF;
            if (size > 11) {
                throw new IOException("bad DC difference in the JPEG");
            }
            int difference = size == 0 ? 0 : extend((int) (b >>> (64 - size)), size);
            b <<= size;
            n -= size;
            if (keep > 0) {
                dcPrediction += difference * q[0];
                int[] kept = coefficients;
                kept[0] = dcPrediction;
                kept[1] = 0;
                kept[2] = 0;
                kept[3] = 0;
                kept[4] = 0;
            }
            while (k < keep) {
                if (n < 32) {
                    if (pos + 4 <= end) {
                        b |= ((int) INTS.get(data, pos) & 0xFFFFFFFFL) << (32 - n);
                        pos += 4;
                        n += 32;
                    } else {
                        refill(b, n);
                        b = bits;
                        n = count;
                    }
                }
                entry = ac.lookup[(int) (b >>> (64 - HuffmanTable.LOOKUP_BITS))];
                if (entry == 0) {
                    entry = longCode(ac, b);
                }
                b <<= entry >>> 8;
                n -= entry >>> 8;
                size = entry & 15;
                if (size == 0) {
                    k += (entry & 0xF0) == 0xF0 ? 16 : 64;
                    continue;
                }
                k += (entry >> 4) & 15;
                if (k < keep) {
                    coefficients[k] = extend((int) (b >>> (64 - size)), size) * q[k];
                }
                b <<= size;
                n -= size;
                k++;
            }
        }
        int[] skips = ac.skip;
        while (k < 64) {
            if (n < 32) {
                if (pos + 4 <= end) {
                    b |= ((int) INTS.get(data, pos) & 0xFFFFFFFFL) << (32 - n);
                    pos += 4;
                    n += 32;
                } else {
                    refill(b, n);
                    b = bits;
                    n = count;
                }
            }
            skip = skips[(int) (b >>> (64 - HuffmanTable.LOOKUP_BITS))];
            if (skip != 0) {
                b <<= skip >>> 8;
                n -= skip >>> 8;
                k += skip & 0xFF;
                continue;
            }
            int entry = ac.lookup[(int) (b >>> (64 - HuffmanTable.LOOKUP_BITS))];
            if (entry == 0) {
                entry = longCode(ac, b);
            }
            int size = entry & 15;
            b <<= (entry >>> 8) + size;
            n -= (entry >>> 8) + size;
            k += size != 0 ? ((entry >> 4) & 15) + 1 : (entry & 0xF0) == 0xF0 ? 16 : 64;
        }
        bits = b;
        count = n;
    }

    /** Writes the kept block as 2×2 pixels (ffmpeg's {@code ff_j_rev_dct2}) or one (its DC) at (x, y). */
    private void put(int x, int y) {
        int[] c = coefficients;
        int at = y * planeStride + x;
        if (blockPixels == 1) {
            plane[at] = clamp((c[0] + 4) >> 3);
            return;
        }
        int d00 = c[0] + 4 + c[1];
        int d01 = c[0] + 4 - c[1];
        int d10 = c[2] + c[4];
        int d11 = c[2] - c[4];
        plane[at] = clamp((d00 + d10) >> 3);
        plane[at + 1] = clamp((d01 + d11) >> 3);
        plane[at + planeStride] = clamp((d00 - d10) >> 3);
        plane[at + planeStride + 1] = clamp((d01 - d11) >> 3);
    }

    private static byte clamp(int value) {
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }

    /** The code at the top of {@code b} that the look-up did not find: its length << 8 | symbol. */
    private static int longCode(HuffmanTable table, long b) throws IOException {
        int entry = table.decodeLong(b);
        if (entry == 0) {
            throw new IOException("bad Huffman code in the JPEG");
        }
        return entry;
    }

    /** The {@code size}-bit value {@code value} as a signed one (T.81 F.2.2.1, EXTEND). */
    private static int extend(int value, int size) {
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /**
     * Tops the bit buffer {@code b} holding {@code n} bits up to more than 56 bits, a byte at a time,
     * with zero bytes past the end of the interval; leaves it in {@link #bits} and {@link #count}.
     */
    private void refill(long b, int n) {
        while (n <= 56) {
            int next;
            if (pos < end) {
                next = data[pos++] & 0xFF;
            } else {
                next = 0;
                padded++;
            }
            b |= (long) next << (56 - n);
            n += 8;
        }
        bits = b;
        count = n;
    }

    /**
     * A frame coded in a way this decoder does not read (progressive, arithmetic, 12-bit, sampled
     * unusually), of a size it does: a full decoder may read it.
     */
    static final class Unsupported extends IOException {
        private final long pixels;

        private Unsupported(String message, long pixels) {
            super(message);
            this.pixels = pixels;
        }

        /** The frame's width times its height. */
        long pixels() {
            return pixels;
        }
    }

    private Unsupported unsupported(String message) {
        return new Unsupported(message, (long) frameWidth * frameHeight);
    }

    /**
     * The height of the picture made of a {@code frameWidth}×{@code frameHeight} frame: that of the
     * picture reduced at {@code lowres} scaled to {@code width}, rounded to an even number as ffmpeg's
     * {@code scale=W:-2} does.
     */
    static int height(int width, int frameWidth, int frameHeight, int lowres) {
        int reducedWidth = (frameWidth + (1 << lowres) - 1) >> lowres;
        int reducedHeight = (frameHeight + (1 << lowres) - 1) >> lowres;
        return Math.max(2, (int) (((long) width * reducedHeight + reducedWidth) / (2L * reducedWidth)) * 2);
    }

    /** The reduced luma picture area-scaled to {@link #width}, its height even and in proportion. */
    private BufferedImage picture() {
        int reducedWidth = (frameWidth + (1 << lowres) - 1) >> lowres;
        int reducedHeight = (frameHeight + (1 << lowres) - 1) >> lowres;
        int height = height(width, frameWidth, frameHeight, lowres);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        AreaScale.scale(plane, planeStride, reducedWidth, reducedHeight, pixels, width, height);
        return image;
    }

    private static HuffmanTable standard(boolean dc, boolean chroma) {
        try {
            return dc ? HuffmanTable.standardDc(chroma) : HuffmanTable.standardAc(chroma);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
