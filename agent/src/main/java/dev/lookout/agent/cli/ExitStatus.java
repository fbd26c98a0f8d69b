package dev.lookout.agent.cli;

/** The agent's exit codes (sysexits.h). */
public enum ExitStatus {
    /** Done: every still delivered. */
    OK(0),
    /** Bad command line or source specification. */
    USAGE(64),
    /** The receiver refused a still for good (it was set aside). */
    DATA(65),
    /** The source or a file could not be read. */
    NO_INPUT(66),
    /** No agent answers on the control socket. */
    UNAVAILABLE(69),
    /** A bug: an unexpected exception. */
    SOFTWARE(70),
    /** Not delivered now, kept for later: no connection, storage full, wrong key. */
    TEMPFAIL(75),
    /** Not allowed: {@code setup} run by a user other than root. */
    NOPERM(77),
    /** Unusable configuration: the key file. */
    CONFIG(78);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
