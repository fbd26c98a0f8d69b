package dev.lookout.receiver.net;

import dev.lookout.protocol.CameraName;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Who is on the other end.
 *
 * @param display for log lines: {@code address:port}, or {@code local} for a Unix-domain socket
 * @param folder  the camera folder for uploads that name no camera: the address, made a valid
 *                camera name ({@code :} becomes {@code -}, an IPv6 zone is dropped)
 */
public record Peer(String display, String folder) {
    private static final Peer LOCAL = new Peer("local", "local");

    public static Peer of(SocketChannel channel) {
        SocketAddress remote;
        try {
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            remote = null;
        }
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return LOCAL;
        }
        String address = inet.getAddress().getHostAddress();
        int zone = address.indexOf('%');
        String folder = (zone < 0 ? address : address.substring(0, zone)).replace(':', '-');
        return new Peer(address + ":" + inet.getPort(), CameraName.isValid(folder) ? folder : "unknown");
    }
}
