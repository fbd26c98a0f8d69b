package dev.lookout.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * What an MQTT client adds to a JVM like the agent's: Eclipse Paho (mqttv3 1.2.5) against HiveMQ's
 * client (1.4.2), each in fresh JVMs that connect to mosquitto and publish two QoS 1 messages,
 * against the same JVM that does not (the floor): time from JVM start to the second
 * acknowledgement, resident memory then, and the jars each needs. {@code bench/run mqtt-clients}.
 */
public final class MqttClientBench {
    private static final int RUNS = 7;
    private static final byte[] ON = {'O', 'N'};

    private MqttClientBench() {
    }

    /** {@code CLIENT PORT} in a child; {@code BENCH_JAR PAHO_CLASSPATH HIVEMQ_CLASSPATH} as the harness. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            child(args[0], Integer.parseInt(args[1]));
            return;
        }
        Path work = Scratch.directory("lookout-mqtt-clients");
        System.out.printf(Locale.ROOT, "%d fresh JVMs each (medians), connect + 2 QoS 1 publishes to mosquitto on loopback,"
                + " %s, %d cores%n%n", RUNS, ReceiverBench.cpu(), Runtime.getRuntime().availableProcessors());
        System.out.println("| client | jars | their size | JVM start → 2nd PUBACK | added | RSS then | added |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        try (Broker broker = Broker.start(work.resolve("broker"))) {
            double[] floor = null;
            for (String[] client : new String[][] {{"none", ""}, {"paho", args[1]}, {"hivemq", args[2]}}) {
                List<String> jars = client[1].isEmpty() ? List.of() : Arrays.asList(client[1].split(File.pathSeparator));
                long bytes = 0;
                for (String jar : jars) {
                    bytes += Files.size(Path.of(jar));
                }
                List<Double> millis = new ArrayList<>();
                List<Double> rss = new ArrayList<>();
                for (int run = 0; run < RUNS; run++) {
                    String classpath = args[0] + (client[1].isEmpty() ? "" : File.pathSeparator + client[1]);
                    Process p = new ProcessBuilder(ReceiverBench.javaBinary(), "-cp", classpath,
                            MqttClientBench.class.getName(), client[0], String.valueOf(broker.port()))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IllegalStateException(client[0] + " failed");
                    }
                    millis.add(Double.parseDouble(out[0]));
                    rss.add(Double.parseDouble(out[1]) / 1024);
                }
                double[] median = {ReceiverBench.percentile(millis, 50), ReceiverBench.percentile(rss, 50)};
                if (floor == null) {
                    floor = median;
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %.0f KB | %.0f ms | **+%.0f ms** | %.1f MiB | **+%.1f MiB** |%n",
                        client[0].equals("none") ? "none (floor)" : client[0].equals("paho") ? "Eclipse Paho mqttv3 1.2.5"
                                : "HiveMQ MQTT client 1.4.2", jars.size(), bytes / 1024.0, median[0], median[0] - floor[0],
                        median[1], median[1] - floor[1]);
            }
        }
    }

    private static void child(String client, int port) throws Exception {
        switch (client) {
            case "paho" -> Paho.publish(port);
            case "hivemq" -> HiveMq.publish(port);
            default -> report();
        }
        System.exit(0);
    }

    /** In classes of their own, so that a JVM without their jars never loads them. */
    private static final class Paho {
        static void publish(int port) throws Exception {
            MqttClient paho = new MqttClient("tcp://127.0.0.1:" + port, "bench-paho", new MemoryPersistence());
            paho.connect();
            paho.publish("bench/motion", ON, 1, false);
            paho.publish("bench/motion", ON, 1, false);
            report();
            paho.disconnect();
            paho.close();
        }
    }

    private static final class HiveMq {
        static void publish(int port) throws Exception {
            Mqtt3BlockingClient hive = Mqtt3Client.builder().identifier("bench-hivemq").serverHost("127.0.0.1")
                    .serverPort(port).buildBlocking();
            hive.connect();
            for (int i = 0; i < 2; i++) {
                hive.publishWith().topic("bench/motion").qos(MqttQos.AT_LEAST_ONCE).payload(ON).send();
            }
            report();
            hive.disconnect();
        }
    }

    /** Milliseconds since the JVM started, and its resident memory in KiB. */
    private static void report() throws Exception {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .findFirst().orElseThrow().replaceAll("\\D", "");
        System.out.println(uptime + " " + rss);
    }
}
