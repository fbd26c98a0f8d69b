package dev.lookout.receiver.gallery;

import dev.lookout.receiver.store.ImageTree.Image;
import java.util.List;

/** The gallery's HTML: plain files that work from {@code file://}, no server, no network. */
final class Pages {
    private static final String STYLE = """
            body{font:15px system-ui,sans-serif;margin:1rem;background:#111;color:#ddd}
            a{color:#9cf}h1,h2{font-weight:600}h2{margin-top:2rem}
            ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.6rem}
            li{width:240px}li img{display:block;width:240px;height:auto;min-height:60px;background:#222}
            li span{display:block;font-size:13px;padding:.2rem 0}
            #viewer{position:fixed;inset:0;background:#000e;margin:0;display:flex;flex-direction:column;
            align-items:center;justify-content:center}#viewer[hidden]{display:none}
            #viewer img{max-width:96vw;max-height:88vh}#viewer figcaption{padding:.5rem}
            """;
    private static final String VIEWER = """
            <figure id="viewer" hidden><img alt=""><figcaption></figcaption></figure>
            <script>
            const links = [...document.querySelectorAll('a.thumb')];
            const viewer = document.getElementById('viewer');
            const full = viewer.querySelector('img');
            const caption = viewer.querySelector('figcaption');
            let at = -1;
            function show(i) {
              if (i < 0 || i >= links.length) return;
              at = i;
              full.src = links[i].href;
              caption.textContent = links[i].dataset.time + '  (' + (i + 1) + ' of ' + links.length + ')  \\u2190 \\u2192 Esc';
              viewer.hidden = false;
            }
            function hide() { viewer.hidden = true; at = -1; }
            links.forEach((a, i) => a.addEventListener('click', e => { e.preventDefault(); show(i); }));
            viewer.addEventListener('click', hide);
            document.addEventListener('keydown', e => {
              if (e.key === 'ArrowRight') show(at + 1);
              else if (e.key === 'ArrowLeft') show(at < 0 ? links.length - 1 : at - 1);
              else if (e.key === 'Escape') hide();
            });
            </script>
            """;

    private Pages() {
    }

    /** One camera's days for the index. */
    record Day(String camera, String day, int count, String newest) {
    }

    /** {@code index.html} in the image root: cameras, and their days newest first. */
    static String index(List<String> cameras, List<Day> days) {
        StringBuilder html = head("Lookout");
        html.append("<h1>Lookout</h1>\n");
        if (cameras.isEmpty()) {
            html.append("<p>No images yet.</p>\n");
        }
        for (String camera : cameras) {
            html.append("<h2>").append(escape(camera)).append("</h2>\n<ul class=\"days\">\n");
            days.stream().filter(d -> d.camera().equals(camera)).sorted((a, b) -> b.day().compareTo(a.day())).forEach(d ->
                    html.append("<li><a href=\"").append(Layout.PAGES).append('/').append(path(camera)).append('/')
                            .append(d.day()).append(".html\"><img loading=\"lazy\" alt=\"\" src=\"")
                            .append(Layout.THUMBS).append('/').append(path(camera)).append('/').append(d.day()).append('/')
                            .append(path(d.newest())).append("\"><span>").append(d.day()).append(" \u2014 ").append(d.count())
                            .append(d.count() == 1 ? " image" : " images").append("</span></a></li>\n"));
            html.append("</ul>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    /** A camera-day page, in {@code <root>/.gallery/pages/<camera>/}: thumbnails in time order, a viewer. */
    static String day(String camera, String day, List<Image> images) {
        String up = "../../../";
        StringBuilder html = head(camera + " \u2014 " + day);
        html.append("<p><a href=\"").append(up).append("index.html\">All days</a></p>\n<h1>").append(escape(camera))
                .append(" \u2014 ").append(day).append(" (").append(images.size()).append(")</h1>\n<ul>\n");
        for (Image image : images) {
            String time = image.name().substring(0, Math.min(8, image.name().length())).replace('-', ':');
            html.append("<li><a class=\"thumb\" data-time=\"").append(escape(time)).append("\" href=\"").append(up)
                    .append(path(camera)).append('/').append(day).append('/').append(path(image.name()))
                    .append("\"><img loading=\"lazy\" alt=\"").append(escape(time)).append("\" src=\"../../")
                    .append(Layout.THUMBS.substring(Layout.DIR.length() + 1)).append('/').append(path(camera)).append('/')
                    .append(day).append('/').append(path(image.name())).append("\"></a><span>").append(escape(time))
                    .append("</span></li>\n");
        }
        return html.append("</ul>\n").append(VIEWER).append("</body>\n</html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    /** A file or folder name inside an attribute: escaped for the URL and for HTML. */
    private static String path(String name) {
        if (plain(name)) {
            return name; // the receiver's own names: nothing to escape
        }
        return escape(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static boolean plain(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
