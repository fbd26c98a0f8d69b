package dev.lookout.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces, the agent's and the receiver's, joined by a veth pair with private
 * addresses that exist only inside them: nothing a test does there reaches any other network. The
 * names carry a random suffix, so that two runs never collide; {@link #close} removes both (and
 * with them the veth pair, the addresses and every firewall rule).
 */
final class NetPair implements AutoCloseable {
    final String agentNs;
    final String receiverNs;
    final String agentIp;
    final String receiverIp;
    private final String agentLink;

    private NetPair(String id, int subnet) {
        agentNs = "lookout-a-" + id;
        receiverNs = "lookout-r-" + id;
        agentLink = "lka" + id;
        agentIp = "10.77." + subnet + ".1";
        receiverIp = "10.77." + subnet + ".2";
    }

    static NetPair create() throws IOException, InterruptedException {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        NetPair pair = new NetPair(id, ThreadLocalRandom.current().nextInt(256));
        String receiverLink = "lkr" + id;
        try {
            run(List.of("ip", "netns", "add", pair.agentNs));
            run(List.of("ip", "netns", "add", pair.receiverNs));
            run(List.of("ip", "link", "add", pair.agentLink, "type", "veth", "peer", "name", receiverLink));
            run(List.of("ip", "link", "set", pair.agentLink, "netns", pair.agentNs));
            run(List.of("ip", "link", "set", receiverLink, "netns", pair.receiverNs));
            run(List.of("ip", "-n", pair.agentNs, "addr", "add", pair.agentIp + "/30", "dev", pair.agentLink));
            run(List.of("ip", "-n", pair.receiverNs, "addr", "add", pair.receiverIp + "/30", "dev", receiverLink));
            for (String[] link : new String[][] {{pair.agentNs, pair.agentLink}, {pair.receiverNs, receiverLink},
                    {pair.agentNs, "lo"}, {pair.receiverNs, "lo"}}) {
                run(List.of("ip", "-n", link[0], "link", "set", link[1], "up"));
            }
        } catch (IOException | InterruptedException | AssertionError e) {
            pair.close();
            exec(List.of("ip", "link", "del", pair.agentLink));
            throw e;
        }
        return pair;
    }

    /** A command line that runs {@code command} inside the agent's namespace. */
    List<String> inAgent(String... command) {
        return in(agentNs, command);
    }

    /** A command line that runs {@code command} inside the receiver's namespace. */
    List<String> inReceiver(String... command) {
        return in(receiverNs, command);
    }

    private static List<String> in(String namespace, String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        line.addAll(List.of(command));
        return line;
    }

    /** Adds an iptables rule in the agent's namespace. */
    void agentRule(String... rule) throws IOException, InterruptedException {
        run(with(inAgent("iptables"), rule));
    }

    /** Adds an iptables rule in the receiver's namespace. */
    void receiverRule(String... rule) throws IOException, InterruptedException {
        run(with(inReceiver("iptables"), rule));
    }

    /** Removes every iptables rule in both namespaces: the network is whole again. */
    void clearRules() throws IOException, InterruptedException {
        run(inAgent("iptables", "-F"));
        run(inReceiver("iptables", "-F"));
    }

    /** Whether this kernel has netem (sch_netem), tried on the agent's link and taken off again. */
    boolean hasNetem() throws IOException, InterruptedException {
        boolean has = exec(inAgent("tc", "qdisc", "add", "dev", agentLink, "root", "netem", "delay", "1ms")) == 0;
        if (has) {
            netemOff();
        }
        return has;
    }

    /** Puts netem with these settings on the agent's link, e.g. {@code loss 20% delay 40ms}. */
    void netem(String... settings) throws IOException, InterruptedException {
        run(with(inAgent("tc", "qdisc", "add", "dev", agentLink, "root", "netem"), settings));
    }

    void netemOff() throws IOException, InterruptedException {
        run(inAgent("tc", "qdisc", "del", "dev", agentLink, "root"));
    }

    private static List<String> with(List<String> command, String... more) {
        command.addAll(List.of(more));
        return command;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        exec(List.of("ip", "netns", "del", agentNs));
        exec(List.of("ip", "netns", "del", receiverNs));
    }

    /** Runs a command to its end; a failure fails the test with the command's output. */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static int exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
