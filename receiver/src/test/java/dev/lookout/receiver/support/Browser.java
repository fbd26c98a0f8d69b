package dev.lookout.receiver.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven through chromedriver's W3C WebDriver protocol, spoken with the
 * JDK's HTTP client: enough to open pages, run a script, press keys, click, take a screenshot and
 * read the console.
 */
public final class Browser implements AutoCloseable {
    public static final String ARROW_LEFT = "\uE012";
    public static final String ARROW_RIGHT = "\uE014";
    public static final String ESCAPE = "\uE00C";
    private static final Pattern SESSION = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ELEMENT = Pattern.compile("\"element-6066-11e4-a52e-4f735466cecf\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VALUE = Pattern.compile("^\\{\\s*\"value\"\\s*:\\s*(.*)\\}\\s*$", Pattern.DOTALL);

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    private Browser(Process driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Starts chromedriver and a headless Chromium with a fresh profile in {@code profile}. */
    public static Browser start(Path profile) throws IOException, InterruptedException {
        int port = Program.freePort();
        Process driver = new ProcessBuilder("chromedriver", "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Browser browser = new Browser(driver, "http://127.0.0.1:" + port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (browser.call("GET", "/status", null).contains("\"ready\":true")) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > end || !driver.isAlive()) {
                driver.destroyForcibly();
                throw new IOException("chromedriver did not start");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        String args = String.join(",", List.of("\"--headless=new\"", "\"--no-sandbox\"", "\"--disable-gpu\"",
                "\"--disable-background-networking\"", "\"--disable-component-update\"", "\"--disable-sync\"",
                "\"--no-first-run\"", "\"--window-size=1280,900\"", "\"--user-data-dir=" + profile + "\""));
        String created = browser.call("POST", "/session", "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\","
                + "\"goog:chromeOptions\":{\"binary\":\"/usr/bin/chromium\",\"args\":[" + args + "]},"
                + "\"goog:loggingPrefs\":{\"browser\":\"ALL\"}}}}");
        Matcher m = SESSION.matcher(created);
        if (!m.find()) {
            browser.close();
            throw new IOException("no browser session: " + created);
        }
        return new Browser(driver, browser.base + "/session/" + m.group(1));
    }

    public void open(String url) throws IOException, InterruptedException {
        call("POST", "/url", "{\"url\":" + quote(url) + "}");
    }

    /** Runs {@code script} (a function body that returns a string, number or boolean) and gives the result as text. */
    public String run(String script) throws IOException, InterruptedException {
        String raw = value(call("POST", "/execute/sync", "{\"script\":" + quote(script) + ",\"args\":[]}")).strip();
        return raw.startsWith("\"") ? raw.substring(1, raw.length() - 1) : raw;
    }

    /** Presses and releases a key ({@link #ARROW_RIGHT}, …) on the focused page. */
    public void press(String key) throws IOException, InterruptedException {
        call("POST", "/actions", "{\"actions\":[{\"type\":\"key\",\"id\":\"keyboard\",\"actions\":[{\"type\":\"keyDown\","
                + "\"value\":" + quote(key) + "},{\"type\":\"keyUp\",\"value\":" + quote(key) + "}]}]}");
    }

    /** Clicks the first element matching a CSS selector. */
    public void click(String selector) throws IOException, InterruptedException {
        Matcher m = ELEMENT.matcher(call("POST", "/element", "{\"using\":\"css selector\",\"value\":" + quote(selector) + "}"));
        if (!m.find()) {
            throw new IOException("no element " + selector);
        }
        call("POST", "/element/" + m.group(1) + "/click", "{}");
    }

    /** A PNG of the window. */
    public byte[] screenshot() throws IOException, InterruptedException {
        String raw = value(call("GET", "/screenshot", null)).strip();
        return Base64.getDecoder().decode(raw.substring(1, raw.length() - 1));
    }

    /** The console's messages of level SEVERE (errors, failed loads) since the last call. */
    public List<String> consoleErrors() throws IOException, InterruptedException {
        String log = call("POST", "/se/log", "{\"type\":\"browser\"}");
        return Pattern.compile("\\{[^{}]*\"level\"\\s*:\\s*\"SEVERE\"[^{}]*\\}").matcher(log).results()
                .map(r -> r.group()).toList();
    }

    /** Waits until {@code script} returns {@code true}. */
    public void await(String script, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!run(script).equals("true")) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not true within " + timeout + ": " + script);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static String value(String response) throws IOException {
        Matcher m = VALUE.matcher(response);
        if (!m.matches()) {
            throw new IOException("unexpected answer: " + response);
        }
        return m.group(1);
    }

    private String call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        request = body == null ? request.GET()
                : request.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> s.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return s.append('"').toString();
    }

    @Override
    public void close() {
        try {
            if (base.contains("/session/")) {
                call("DELETE", "", "");
            }
        } catch (IOException | InterruptedException e) {
            // the driver goes anyway
        } finally {
            driver.destroy();
            try {
                driver.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a PNG shows more than an empty page: enough distinct colours and contrast. */
    public static boolean showsSomething(byte[] png) throws IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size() > 200;
    }

    /** Writes a screenshot where a person can look at it. */
    public static void keep(byte[] png, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }
}
