package dev.lookout.agent.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An MQTT broker as {@code --mqtt} names it: {@code mqtt://HOST[:1883]} or {@code mqtts://HOST[:8883]}
 * (TLS: the server's certificate and host name are verified, against the system's CAs or the
 * {@code ca} file's), with an optional user and password.
 *
 * @param ca       PEM certificates of a private CA, or {@code null} for the system's
 * @param user     the user name, or {@code null}
 * @param password the password (never shown), or {@code null}
 */
public record Broker(boolean tls, String host, int port, Path ca, String user, char[] password) {
    /** What {@code --mqtt} accepts, for error messages. */
    public static final String FORM = "mqtt://HOST[:PORT] or mqtts://HOST[:PORT]";

    /** Parses {@code url}; throws IllegalArgumentException with a message for the user. */
    public static Broker parse(String url, Path ca, String user, char[] password) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--mqtt must be " + FORM + ", got '" + url + "'");
        }
        String scheme = uri.getScheme();
        boolean tls = "mqtts".equals(scheme);
        if (!tls && !"mqtt".equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/") || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("--mqtt must be " + FORM + ", got '" + url + "'");
        }
        if (ca != null && !tls) {
            throw new IllegalArgumentException("--mqtt-ca needs an mqtts:// broker");
        }
        return new Broker(tls, uri.getHost(), uri.getPort() < 0 ? (tls ? 8883 : 1883) : uri.getPort(), ca, user, password);
    }

    /** The address as Paho takes it. */
    String serverUri() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }

    /** The broker for logs and the status: its URL and user, the password as {@code ***}. */
    public String shown() {
        return (tls ? "mqtts://" : "mqtt://") + host + ":" + port + (user == null ? "" : " (user " + user
                + (password == null ? "" : ", password ***") + ")");
    }

    /** For mqtts: a TLS socket factory trusting the CA file (or the system's CAs); {@code null} for mqtt. */
    SocketFactory socketFactory() throws IOException, GeneralSecurityException {
        if (!tls) {
            return null;
        }
        if (ca == null) {
            return SSLContext.getDefault().getSocketFactory();
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(ca)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + ca);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            trusted.setCertificateEntry("ca" + i++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    @Override
    public String toString() {
        return shown();
    }
}
