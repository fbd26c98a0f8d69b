package dev.lookout.receiver.cli;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the JDK's SunJCE provider first in this process's JCA provider list, before the first
 * cipher is asked for. The JCA loads the providers in list order until one offers the algorithm,
 * and in the JDK's own list SunJCE (which has ChaCha20-Poly1305) comes fifth, after SunEC and
 * SunJSSE, whose loading costs a receiver started per connection about as much as the rest of its
 * work. Nothing is removed: every provider stays, in the same order behind SunJCE, and the change
 * is in this process's memory only (the security properties files are not touched).
 */
final class ProviderOrder {
    private static final String PREFIX = "security.provider.";

    private ProviderOrder() {
    }

    /** Reorders the provider list; does nothing once the JCA has read it (a listener's second connection, a test). */
    static void sunJceFirst() {
        List<String> entries = new ArrayList<>();
        String entry;
        while ((entry = Security.getProperty(PREFIX + (entries.size() + 1))) != null && !entry.isBlank()) {
            entries.add(entry);
        }
        List<String> order = sunJceFirst(entries);
        for (int i = 0; i < order.size(); i++) {
            Security.setProperty(PREFIX + (i + 1), order.get(i));
        }
    }

    /** {@code entries} (values of {@code security.provider.N}, in order) with SunJCE's moved to the front. */
    static List<String> sunJceFirst(List<String> entries) {
        List<String> order = new ArrayList<>(entries);
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i).strip().split(" ", 2)[0];
            if (name.equals("SunJCE") || name.equals("com.sun.crypto.provider.SunJCE")) {
                order.add(0, order.remove(i));
                break;
            }
        }
        return order;
    }
}
