package dev.lookout.agent.setup;

import dev.lookout.files.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A settings file edited the way a person would: each given key's line is set (the first
 * {@code key=} line, else the first commented-out {@code #key=} line, else a new line at the end);
 * every other line, comment and their order stay.
 */
final class SettingsFile {
    private SettingsFile() {
    }

    /** The text with the values set. */
    static String edit(String text, Map<String, String> values) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = Pattern.quote(entry.getKey());
            int at = find(lines, Pattern.compile("^" + key + "\\s*[=:]"));
            if (at < 0) {
                at = find(lines, Pattern.compile("^#\\s*" + key + "\\s*[=:]"));
            }
            String line = entry.getKey() + "=" + entry.getValue();
            if (at < 0) {
                lines.add(line);
            } else {
                lines.set(at, line);
            }
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static int find(List<String> lines, Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i).strip()).find()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the values in {@code file} (created, mode 0644, when missing), keeping its group and
     * mode. Returns whether its text changed.
     */
    static boolean update(Path file, Map<String, String> values) throws IOException {
        if (!Files.exists(file)) {
            DurableFile.replace(file, edit("", values).getBytes(StandardCharsets.UTF_8), "rw-r--r--", null);
            return true;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String edited = edit(text, values);
        if (edited.equals(text)) {
            return false;
        }
        PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
        DurableFile.replace(file, edited.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.toString(old.permissions()),
                old.group());
        return true;
    }
}
