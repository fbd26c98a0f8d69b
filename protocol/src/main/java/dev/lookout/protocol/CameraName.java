package dev.lookout.protocol;

import java.util.Set;

/**
 * The rule for camera names: they become a folder name in the receiver's image root, beside what
 * the receiver and its gallery keep there themselves ({@code .stored}, {@code .gallery/},
 * {@code index.html}) and among the names used inside a camera folder.
 */
public final class CameraName {
    /** The rule, for messages and help texts. */
    public static final String RULE = "1-64 of A-Z a-z 0-9 . _ -, not starting with a dot,"
            + " not index.html, keep or latest.jpg";
    private static final int MAX_LENGTH = 64;
    /** Names the receiver, its gallery or a person's notes use in the image root or a camera folder. */
    private static final Set<String> RESERVED = Set.of("index.html", "latest.jpg", "keep");

    private CameraName() {
    }

    /**
     * Whether {@code name} is {@code [A-Za-z0-9._-]{1,64}}, does not start with a dot (hidden
     * folders are the receiver's own, and neither retention nor the gallery sees them), and is not
     * {@code index.html}, {@code latest.jpg} or {@code keep}.
     */
    public static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || name.charAt(0) == '.' || RESERVED.contains(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code name} if valid, else throws {@link ErrorCode#BAD_CAMERA}. */
    public static String check(String name) throws ProtocolException {
        if (!isValid(name)) {
            throw new ProtocolException(ErrorCode.BAD_CAMERA, "camera name must be " + RULE);
        }
        return name;
    }
}
