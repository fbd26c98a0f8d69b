package dev.lookout.protocol;

/**
 * A peer broke the protocol; carries the code to reply with. A refusal, not a bug: it records no
 * stack trace, which would cost more than the check that found it. Not a {@code dev.lookout.exit.Failure}:
 * it carries a wire {@link ErrorCode}, not an exit status, and this module has no dependencies.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
