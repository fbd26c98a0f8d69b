package dev.lookout.agent.encode;

import dev.lookout.jpeg.Segments;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes who and when into a still as an Exif block, so that photo viewers and phones sort and
 * label it: Make {@code Lookout}, Model and ImageDescription the camera's name, and, when the
 * clock is trusted, DateTime, DateTimeOriginal, SubSecTimeOriginal and OffsetTimeOriginal of the
 * capture. The compressed image is not touched: the block goes in after the SOI and JFIF
 * segments, and an Exif block the camera wrote is replaced.
 */
public final class ExifStamp {
    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
    private static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;

    private ExifStamp() {
    }

    /**
     * @param timeKnown false when the clock was not synchronised: the capture time is then left out
     * @throws IllegalArgumentException when {@code jpeg} does not start like a JPEG
     */
    public static byte[] stamp(byte[] jpeg, String camera, long captureMillis, ZoneId zone, boolean timeKnown) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 256);
        out.write(jpeg, 0, 2);
        int at = 2;
        boolean stamped = false;
        // APPn segments come first; keep JFIF (APP0) in front, drop an earlier Exif block, keep the rest
        Segments segments = new Segments(jpeg, at);
        for (int marker = segments.next(); segments.offset() == at + 1 && (marker & 0xF0) == 0xE0; marker = segments.next()) {
            if (segments.length() < 0) {
                break;
            }
            int length = segments.end() - at;
            if (marker != APP0 && !stamped) {
                writeSegment(out, camera, captureMillis, zone, timeKnown);
                stamped = true;
            }
            if (!(marker == APP1 && isExif(jpeg, at + 4, length - 2))) {
                out.write(jpeg, at, length);
            }
            at += length;
        }
        if (!stamped) {
            writeSegment(out, camera, captureMillis, zone, timeKnown);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    private static boolean isExif(byte[] jpeg, int from, int length) {
        if (length < EXIF_ID.length) {
            return false;
        }
        for (int i = 0; i < EXIF_ID.length; i++) {
            if (jpeg[from + i] != EXIF_ID[i]) {
                return false;
            }
        }
        return true;
    }

    private static void writeSegment(ByteArrayOutputStream out, String camera, long captureMillis, ZoneId zone,
                                     boolean timeKnown) {
        byte[] tiff = tiff(camera, Instant.ofEpochMilli(captureMillis).atZone(zone), timeKnown);
        int length = 2 + EXIF_ID.length + tiff.length;
        out.write(0xFF);
        out.write(APP1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(EXIF_ID);
        out.writeBytes(tiff);
    }

    /** A big-endian TIFF structure: IFD0, and the Exif IFD when the time is known. */
    private static byte[] tiff(String camera, ZonedDateTime taken, boolean timeKnown) {
        Ifd ifd0 = new Ifd();
        ifd0.ascii(0x010E, camera); // ImageDescription
        ifd0.ascii(0x010F, "Lookout"); // Make
        ifd0.ascii(0x0110, camera); // Model
        Ifd exif = new Ifd();
        if (timeKnown) {
            String time = EXIF_TIME.format(taken);
            ifd0.ascii(0x0132, time); // DateTime
            exif.ascii(0x9003, time); // DateTimeOriginal
            exif.ascii(0x9011, taken.getOffset().getId().equals("Z") ? "+00:00" : taken.getOffset().getId()); // OffsetTimeOriginal
            exif.ascii(0x9291, String.format("%03d", taken.getNano() / 1_000_000)); // SubSecTimeOriginal
        }
        int ifd0Offset = 8;
        int exifOffset = ifd0Offset + ifd0.size() + (timeKnown ? 12 : 0);
        if (timeKnown) {
            ifd0.longValue(0x8769, exifOffset); // the Exif IFD
        }
        ByteBuffer tiff = ByteBuffer.allocate(exifOffset + (timeKnown ? exif.size() : 0));
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0Offset);
        ifd0.write(tiff, ifd0Offset);
        if (timeKnown) {
            exif.write(tiff, exifOffset);
        }
        return tiff.array();
    }

    /** One image file directory: entries sorted by tag, values over four bytes after them. */
    private static final class Ifd {
        private static final short ASCII = 2;
        private static final short LONG = 4;

        private record Entry(int tag, short type, int count, byte[] value) {
        }

        private final List<Entry> entries = new ArrayList<>();

        void ascii(int tag, String text) {
            byte[] value = (text + "\0").getBytes(StandardCharsets.US_ASCII);
            entries.add(new Entry(tag, ASCII, value.length, value));
        }

        void longValue(int tag, int value) {
            entries.add(new Entry(tag, LONG, 1, ByteBuffer.allocate(4).putInt(value).array()));
        }

        int size() {
            int size = 2 + 12 * entries.size() + 4;
            for (Entry e : entries) {
                size += e.value().length > 4 ? padded(e.value().length) : 0;
            }
            return size;
        }

        void write(ByteBuffer tiff, int offset) {
            entries.sort(Comparator.comparingInt(Entry::tag));
            int data = offset + 2 + 12 * entries.size() + 4;
            tiff.position(offset);
            tiff.putShort((short) entries.size());
            for (Entry e : entries) {
                tiff.putShort((short) e.tag()).putShort(e.type()).putInt(e.count());
                if (e.value().length <= 4) {
                    tiff.put(e.value()).put(new byte[4 - e.value().length]);
                } else {
                    tiff.putInt(data);
                    data += padded(e.value().length);
                }
            }
            tiff.putInt(0);
            for (Entry e : entries) {
                if (e.value().length > 4) {
                    tiff.put(e.value()).put(new byte[padded(e.value().length) - e.value().length]);
                }
            }
        }

        private static int padded(int length) {
            return length + (length & 1);
        }
    }
}
