package dev.lookout.exit;

/**
 * A failure the user can act on: its message is shown as one {@code Error:} line, its status is
 * the exit code.
 */
public final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    private final Sysexit status;

    public Failure(Sysexit status, String message) {
        super(message);
        this.status = status;
    }

    public Sysexit status() {
        return status;
    }
}
