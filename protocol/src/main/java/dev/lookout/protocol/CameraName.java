package dev.lookout.protocol;

/** The rule for camera names: they become a folder name on the receiver. */
public final class CameraName {
    private static final int MAX_LENGTH = 64;

    private CameraName() {
    }

    /** Whether {@code name} is {@code [A-Za-z0-9._-]{1,64}} and neither {@code .} nor {@code ..}. */
    public static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")) {
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
            throw new ProtocolException(ErrorCode.BAD_CAMERA,
                    "camera name must be 1-64 of A-Z a-z 0-9 . _ - (and not . or ..)");
        }
        return name;
    }
}
