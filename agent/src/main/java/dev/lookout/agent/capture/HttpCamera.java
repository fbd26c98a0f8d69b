package dev.lookout.agent.capture;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An MJPEG-over-HTTP(S) camera ({@code multipart/x-mixed-replace}, or one JPEG a response) read in
 * this process: the JPEGs are cut out of the response ({@link MjpegStream}), untouched. Connecting
 * and each read wait at most 5 s, so a dead camera ends the stream; credentials in the URL
 * ({@code http://user:password@host/…}) are sent as HTTP basic authentication. The connection is
 * made on the first {@link #next()}, so that {@link #close()} from another thread ends a connection
 * that is being made or read at once.
 */
final class HttpCamera implements FrameStream {
    private static final int TIMEOUT_MILLIS = 5000;

    private final HttpURLConnection connection;
    private final double fps;
    private volatile MjpegStream frames;
    private volatile boolean closed;

    /** @param url an {@code http:} or {@code https:} URL */
    HttpCamera(String url, double fps) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
            connection = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("not an HTTP URL: " + url);
        }
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        connection.setUseCaches(false);
        if (uri.getRawUserInfo() != null) {
            String credentials = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            connection.setRequestProperty("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        this.fps = fps;
    }

    @Override
    public Frame next() throws IOException {
        if (frames == null) {
            frames = connect();
        }
        return frames.next();
    }

    private MjpegStream connect() throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        int status = connection.getResponseCode();
        if (status != HttpURLConnection.HTTP_OK) {
            throw new IOException("the camera answered HTTP " + status + " " + connection.getResponseMessage());
        }
        return new MjpegStream(connection.getInputStream(), ended -> connection.disconnect(), fps);
    }

    /** Ends the connection (a read or connection waiting in another thread fails at once) and the stream. */
    @Override
    public void close() throws IOException {
        closed = true;
        connection.disconnect();
        MjpegStream open = frames;
        if (open != null) {
            open.close();
        }
    }
}
