package dev.lookout.receiver.cli;

import java.time.Duration;

/**
 * Durations written {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}; a bare number is seconds.
 * Parsed without regular expressions: this runs in every socket-activated receiver.
 */
final class Durations {
    private Durations() {
    }

    /** Parses a positive duration. */
    static Duration parse(String text) {
        String s = text.strip();
        int digits = leadingDigits(s);
        String unit = s.substring(digits).strip();
        long n = digits == 0 || digits > 9 ? 0 : Long.parseLong(s.substring(0, digits));
        Duration result = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ZERO;
        };
        if (result.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration (examples: 500ms, 10s, 2m, 1h)");
        }
        return result;
    }

    /** How many ASCII digits {@code s} starts with. */
    static int leadingDigits(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) >= '0' && s.charAt(n) <= '9') {
            n++;
        }
        return n;
    }
}
