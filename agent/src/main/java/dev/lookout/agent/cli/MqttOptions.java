package dev.lookout.agent.cli;

import dev.lookout.agent.notify.Broker;
import dev.lookout.agent.notify.MqttNotifier;
import dev.lookout.agent.notify.Notifier;
import dev.lookout.exit.Failure;
import dev.lookout.exit.Sysexit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Option;

/** The MQTT broker to tell (Home Assistant): the options {@code run} and {@code setup} share. */
final class MqttOptions {
    /** The options, as {@code setup} writes them into the settings file. */
    static final List<String> NAMES = List.of("--mqtt", "--mqtt-ca", "--mqtt-user", "--mqtt-password-file", "--mqtt-prefix",
            "--mqtt-discovery-prefix");

    @Option(names = "--mqtt", paramLabel = "URL",
            description = "Publish motion, stills, arming and camera health to this MQTT broker, " + Broker.FORM
                    + " (TLS; default ports 1883 and 8883), for Home Assistant (docs/MQTT.md). Default: off.")
    String url;

    @Option(names = "--mqtt-ca", paramLabel = "FILE",
            description = "PEM file of the CA that signed an mqtts:// broker's certificate (default: the system's CAs).")
    Path ca;

    @Option(names = "--mqtt-user", paramLabel = "NAME", description = "The user name at the broker.")
    String user;

    @Option(names = "--mqtt-password-file", paramLabel = "FILE",
            description = "A file whose first line is the broker password (never on the command line).")
    Path passwordFile;

    @Option(names = "--mqtt-prefix", defaultValue = "lookout", paramLabel = "PREFIX",
            description = "Topics are PREFIX/CAMERA/… (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--mqtt-discovery-prefix", defaultValue = "homeassistant", paramLabel = "PREFIX",
            description = "Home Assistant's discovery prefix; empty: no discovery (default: ${DEFAULT-VALUE}).")
    String discoveryPrefix;

    /** The broker named, checked ({@code null} when none is). */
    Broker broker() throws Failure {
        if (url == null || url.isBlank()) {
            return null;
        }
        char[] password = null;
        if (passwordFile != null) {
            try {
                password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                        .strip().toCharArray();
            } catch (IOException e) {
                throw new Failure(Sysexit.CONFIG, "cannot read the MQTT password file " + passwordFile + ": " + e);
            }
        }
        if (ca != null && !Files.isReadable(ca)) {
            throw new Failure(Sysexit.CONFIG, "cannot read the MQTT CA file " + ca);
        }
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#")) {
            throw new IllegalArgumentException("--mqtt-prefix must be a topic without + and #, got '" + prefix + "'");
        }
        return Broker.parse(url.strip(), ca, user, password);
    }

    /** Who is told: the broker, or no one. */
    Notifier notifier(String camera, ZoneId zone) throws Failure {
        Broker broker = broker();
        return broker == null ? Notifier.NONE
                : new MqttNotifier(broker, camera, prefix, discoveryPrefix.strip(), AgentCommand.VERSION, zone);
    }
}
