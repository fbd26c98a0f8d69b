package dev.lookout.receiver;

import dev.lookout.protocol.ErrorCode;

/** The receiver's exit codes (sysexits.h); the units' {@code RestartPreventExitStatus=} lists match. */
public enum ExitStatus {
    /** Every image was stored, or a listener ended normally. */
    OK(0),
    /** Bad command line, or nothing to serve. */
    USAGE(64),
    /** The peer sent bad data: garbage, a truncated or invalid image, a slow or empty connection. */
    DATA(65),
    /** A bug: an unexpected exception. */
    SOFTWARE(70),
    /** Storing failed: disk full (below the free-space floor) or an I/O error. */
    IO(74),
    /** Authentication failed: wrong key, tampered data, or an unencrypted frame where a key is set. */
    AUTH(77),
    /** The configuration is unusable: unreadable key file or config file, image root not writable. */
    CONFIG(78);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status for a connection whose most serious error was {@code worst} ({@code null}: none). */
    public static ExitStatus of(ErrorCode worst) {
        if (worst == null) {
            return OK;
        }
        return switch (worst) {
            case AUTH -> AUTH;
            case FULL, IO -> IO;
            default -> DATA;
        };
    }
}
