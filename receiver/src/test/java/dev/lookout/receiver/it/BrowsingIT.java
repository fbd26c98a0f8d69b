package dev.lookout.receiver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.receiver.support.Browser;
import dev.lookout.receiver.support.ImageTrees;
import dev.lookout.receiver.support.Jpegs;
import dev.lookout.receiver.support.Program;
import dev.lookout.receiver.support.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged receiver's 'gallery' and 'prune', run as a user runs them; the gallery looked at in Chromium. */
class BrowsingIT {
    @TempDir
    Path dir;

    /** Images of the last days, as a camera sends them. */
    private Path tree(int perDay) throws Exception {
        Path root = dir.resolve("images");
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(2));
        for (int day = 0; day < 2; day++) {
            for (int i = 0; i < perDay; i++) {
                ImageTrees.write(root, "front-door", start.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(20L * i + 7)),
                        Jpegs.noise(640, 480, day * 1000L + i));
            }
        }
        return root;
    }

    @Test
    void theGalleryWorksInABrowserFromFileUrls() throws Exception {
        Path root = tree(30);
        Program.Result made = Program.runJar("gallery", "--dir", root.toString());
        assertEquals(0, made.code(), made.stderr());
        assertTrue(made.stderr().startsWith("gallery: 60 images of 1 camera on 2 days; 2 day pages written, 60 thumbnails"
                + " made, "), made.stderr());

        try (Browser browser = Browser.start(dir.resolve("profile"))) {
            browser.open(root.resolve("index.html").toUri().toString());
            assertEquals("2", browser.run("return document.querySelectorAll('ul.days a').length"));
            browser.await("return [...document.images].every(i => i.complete && i.naturalWidth === 240)",
                    Duration.ofSeconds(20));
            byte[] index = browser.screenshot();
            assertTrue(Browser.showsSomething(index), "the index is not blank");
            Browser.keep(index, Path.of("target/gallery-index.png"));

            browser.click("ul.days a");
            assertTrue(browser.run("return location.href").endsWith(".html"));
            assertEquals("30", browser.run("return document.querySelectorAll('a.thumb').length"));
            browser.await("return [...document.images].slice(0, 8).every(i => i.complete && i.naturalWidth === 240)",
                    Duration.ofSeconds(20));
            byte[] day = browser.screenshot();
            assertTrue(Browser.showsSomething(day), "the day page is not blank");
            Browser.keep(day, Path.of("target/gallery-day.png"));

            browser.press(Browser.ARROW_RIGHT);
            browser.await("return !document.getElementById('viewer').hidden", Duration.ofSeconds(5));
            String first = browser.run("return document.querySelector('#viewer img').src");
            String newestDay = Trees.images(root).get(Trees.images(root).size() - 1).split("/")[1];
            assertTrue(first.endsWith("/front-door/" + newestDay + "/00-07-00.000.jpg"), "the newest day's first image: " + first);
            browser.await("return document.querySelector('#viewer img').naturalWidth === 640", Duration.ofSeconds(10));
            Browser.keep(browser.screenshot(), Path.of("target/gallery-viewer.png"));
            browser.press(Browser.ARROW_RIGHT);
            String second = browser.run("return document.querySelector('#viewer img').src");
            assertTrue(!second.equals(first) && second.compareTo(first) > 0, "the next image: " + second);
            browser.press(Browser.ARROW_LEFT);
            assertEquals(first, browser.run("return document.querySelector('#viewer img').src"));
            browser.press(Browser.ESCAPE);
            assertEquals("true", browser.run("return document.getElementById('viewer').hidden"));
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    @Test
    void aDryRunListsExactlyWhatARunRemoves() throws Exception {
        Path root = tree(40);
        String marked = Trees.images(root).get(3);
        Files.createFile(root.resolve(marked + ".keep"));
        assertEquals(0, Program.runJar("gallery", "--dir", root.toString()).code());
        List<String> before = Trees.images(root);

        Program.Result dry = Program.runJar("prune", "--dir", root.toString(), "--keep-days", "1", "--dry-run");
        assertEquals(0, dry.code(), dry.stderr());
        assertEquals(before, Trees.images(root), "a dry run changes nothing");
        List<String> wouldGo = lines(dry, "would remove ");

        Program.Result real = Program.runJar("prune", "--dir", root.toString(), "--keep-days", "1");
        assertEquals(0, real.code(), real.stderr());
        List<String> removed = lines(real, "removed ");
        assertTrue(removed.size() >= 39, real.stderr());
        assertEquals(wouldGo, removed);
        assertTrue(real.stderr().contains("prune: removed " + removed.size() + " images ("), real.stderr());
        List<String> after = new java.util.ArrayList<>(before);
        removed.forEach(r -> after.remove(r.substring(0, r.indexOf(" ("))));
        assertEquals(after, Trees.images(root));
        assertTrue(after.contains(marked), "the image marked to keep");
        String index = Files.readString(root.resolve("index.html"));
        String firstDay = marked.split("/")[1];
        assertTrue(index.contains(firstDay + " \u2014 1 image<"), "the gallery follows: " + index);
    }

    @Test
    void pruneWithoutALimitIsAUsageError() throws Exception {
        Program.Result none = Program.runJar("prune", "--dir", dir.toString());
        assertEquals(64, none.code());
        assertEquals("Error: nothing to prune by: give --keep-days, --max-bytes or --min-free", none.stderr());
        Program.Result negative = Program.runJar("prune", "--dir", dir.toString(), "--keep-days", "-1", "--min-free", "1G");
        assertEquals(64, negative.code());
        assertEquals("Error: --keep-days must not be negative", negative.stderr());
        Program.Result noRoot = Program.runJar("gallery", "--dir", dir.resolve("none").toString());
        assertEquals(78, noRoot.code());
        assertEquals("Error: no image root at " + dir.resolve("none") + " (see --dir)", noRoot.stderr());
    }

    private static List<String> lines(Program.Result result, String prefix) {
        return result.stderr().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }
}
