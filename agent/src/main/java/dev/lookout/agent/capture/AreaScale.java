package dev.lookout.agent.capture;

/**
 * Resizes a grey plane by area averaging: each output pixel is the mean of the source area it
 * covers, partly covered source pixels weighted by how much of them it covers (what ffmpeg's
 * {@code scale=…:flags=area} does when shrinking, up to its fixed-point rounding).
 */
final class AreaScale {
    private AreaScale() {
    }

    /**
     * Scales the {@code width}×{@code height} plane in {@code src} (rows {@code stride} bytes apart)
     * into {@code out} ({@code outWidth}×{@code outHeight}, rows packed).
     */
    static void scale(byte[] src, int stride, int width, int height, byte[] out, int outWidth, int outHeight) {
        int[] columns = new int[outWidth * height];
        Spans across = new Spans(width, outWidth);
        for (int y = 0; y < height; y++) {
            int row = y * stride;
            for (int x = 0; x < outWidth; x++) {
                int sum = 0;
                for (int i = across.first[x], w = across.start[x]; i < across.end[x]; i++, w++) {
                    sum += (src[row + i] & 0xFF) * across.weights[w];
                }
                columns[y * outWidth + x] = sum;
            }
        }
        Spans down = new Spans(height, outHeight);
        long total = (long) width * height;
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                long sum = 0;
                for (int j = down.first[y], w = down.start[y]; j < down.end[y]; j++, w++) {
                    sum += (long) columns[j * outWidth + x] * down.weights[w];
                }
                out[y * outWidth + x] = (byte) ((sum + total / 2) / total);
            }
        }
    }

    /**
     * Which source pixels each output pixel covers ({@code first} to {@code end}, exclusive) and how
     * much of each, in units of 1/{@code outSize} of a source pixel, so that each output's weights add
     * up to {@code size}.
     */
    private static final class Spans {
        final int[] first;
        final int[] end;
        final int[] start;
        final int[] weights;

        Spans(int size, int outSize) {
            first = new int[outSize];
            end = new int[outSize];
            start = new int[outSize];
            weights = new int[outSize * (size / outSize + 2)];
            int next = 0;
            for (int o = 0; o < outSize; o++) {
                long from = (long) o * size;
                long to = from + size;
                first[o] = (int) (from / outSize);
                end[o] = (int) Math.min(size, (to + outSize - 1) / outSize);
                start[o] = next;
                for (int i = first[o]; i < end[o]; i++) {
                    long lo = Math.max(from, (long) i * outSize);
                    long hi = Math.min(to, (long) (i + 1) * outSize);
                    weights[next++] = (int) (hi - lo);
                }
            }
        }
    }
}
