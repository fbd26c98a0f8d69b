package dev.lookout.agent.cli;

/** The agent's exit codes (sysexits.h). */
public enum ExitStatus {
    /** Done. */
    OK(0),
    /** Bad command line or source specification. */
    USAGE(64),
    /** The source could not be read. */
    NO_INPUT(66),
    /** A bug: an unexpected exception. */
    SOFTWARE(70);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
