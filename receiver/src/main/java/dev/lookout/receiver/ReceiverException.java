package dev.lookout.receiver;

/** A failure the user can act on: its message is shown as one {@code Error:} line, its status is the exit code. */
public final class ReceiverException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ExitStatus status;

    public ReceiverException(ExitStatus status, String message) {
        super(message);
        this.status = status;
    }

    public ExitStatus status() {
        return status;
    }
}
