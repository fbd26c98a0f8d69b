package dev.lookout.exit;

/**
 * The exit codes both programs use, with the numbers of BSD's {@code sysexits.h}. What each code
 * means for a program (which failure ends in which code) is that program's to say: its README
 * section and units list it, and its command-line code maps its failures to these.
 */
public enum Sysexit {
    /** Success. */
    OK(0),
    /** The command was used wrongly. */
    USAGE(64),
    /** The input data was wrong. */
    DATA(65),
    /** An input file did not exist or could not be read. */
    NO_INPUT(66),
    /** A service is unavailable. */
    UNAVAILABLE(69),
    /** An internal error: a bug. */
    SOFTWARE(70),
    /** An input/output error. */
    IO(74),
    /** A temporary failure: trying again later may work. */
    TEMPFAIL(75),
    /** Permission denied. */
    NOPERM(77),
    /** A configuration error. */
    CONFIG(78);

    private final int code;

    Sysexit(int code) {
        this.code = code;
    }

    /** The process's exit code. */
    public int code() {
        return code;
    }
}
