package dev.lookout.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One reply line: {@code OK <path>} or {@code ERR <code> <reason>}, terminated by {@code \n}.
 *
 * @param code  {@code null} for {@code OK}; for an unknown error token, {@link ErrorCode#IO}
 * @param text  the stored path (relative to the image root, {@code /}-separated) or the reason
 */
public record Reply(ErrorCode code, String text) {
    /** Longest reply line a receiver sends, newline included; a reader may stop there. */
    public static final int MAX_LINE_BYTES = 512;

    public static Reply ok(String path) {
        return new Reply(null, path);
    }

    public static Reply error(ErrorCode code, String reason) {
        return new Reply(code, reason);
    }

    public boolean isOk() {
        return code == null;
    }

    /** The line as sent, with its newline; control characters become spaces, and the line is cut to fit. */
    public byte[] encode() {
        String line = isOk() ? "OK " + text : "ERR " + code.token() + " " + text;
        char[] chars = line.substring(0, Math.min(line.length(), MAX_LINE_BYTES / 4)).toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] < 0x20 || chars[i] == 0x7f) {
                chars[i] = ' ';
            }
        }
        return (new String(chars) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a line without its newline. */
    public static Reply parse(String line) throws ProtocolException {
        if (line.startsWith("OK ") && line.length() > 3) {
            return ok(line.substring(3));
        }
        if (line.startsWith("ERR ")) {
            int space = line.indexOf(' ', 4);
            String token = space < 0 ? line.substring(4) : line.substring(4, space);
            String reason = space < 0 ? "" : line.substring(space + 1);
            ErrorCode code = ErrorCode.fromToken(token);
            return error(code == null ? ErrorCode.IO : code, code == null ? token + " " + reason : reason);
        }
        throw new ProtocolException(ErrorCode.BAD_FRAME, "not a reply line: " + line);
    }
}
