package dev.lookout.agent.cli;

/** An unusable settings or key file: exit 78. */
final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }
}
