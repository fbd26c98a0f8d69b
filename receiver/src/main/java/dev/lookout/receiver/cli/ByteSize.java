package dev.lookout.receiver.cli;

import java.util.Locale;

/**
 * A byte count written {@code 1048576}, {@code 512K}, {@code 32MiB} or {@code 1G} (powers of 1024).
 * Parsed without regular expressions: this runs in every socket-activated receiver.
 */
record ByteSize(long bytes) {
    private static final String UNITS = "KMGT";

    static ByteSize parse(String text) {
        String s = text.strip();
        int digits = Durations.leadingDigits(s);
        String unit = s.substring(digits).strip().toUpperCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : 10 * (UNITS.indexOf(unit.charAt(0)) + 1);
        String rest = unit.isEmpty() ? "" : unit.substring(1);
        boolean unitOk = unit.isEmpty() || unit.equals("B")
                || shift > 0 && (rest.isEmpty() || rest.equals("B") || rest.equals("IB"));
        if (digits == 0 || digits > 19 || !unitOk) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1048576, 512K, 32MiB, 1G)");
        }
        try {
            long number = Long.parseLong(s.substring(0, digits));
            if (number > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return new ByteSize(number << shift);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
