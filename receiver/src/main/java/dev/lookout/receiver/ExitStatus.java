package dev.lookout.receiver;

import dev.lookout.exit.Sysexit;
import dev.lookout.protocol.ErrorCode;

/**
 * What the receiver's exit codes mean; the units' {@code RestartPreventExitStatus=} lists match.
 * {@link Sysexit#OK}: every image was stored, or a listener ended normally. {@link Sysexit#USAGE}:
 * bad command line, or nothing to serve. {@link Sysexit#DATA}: the peer sent bad data (garbage, a
 * truncated or invalid image, a slow or empty connection). {@link Sysexit#SOFTWARE}: a bug.
 * {@link Sysexit#IO}: storing failed (disk full, below the free-space floor, or an I/O error).
 * {@link Sysexit#TEMPFAIL} ('archive' only): the object store is unreachable or refuses for now.
 * {@link Sysexit#NOPERM}: authentication failed (wrong key, tampered data, or an unencrypted frame
 * where a key is set). {@link Sysexit#CONFIG}: the configuration is unusable (unreadable key file or
 * config file, image root not writable).
 */
public final class ExitStatus {
    private ExitStatus() {
    }

    /** The status for a connection whose most serious error was {@code worst} ({@code null}: none). */
    public static Sysexit of(ErrorCode worst) {
        if (worst == null) {
            return Sysexit.OK;
        }
        return switch (worst) {
            case AUTH -> Sysexit.NOPERM;
            case FULL, IO -> Sysexit.IO;
            default -> Sysexit.DATA;
        };
    }
}
