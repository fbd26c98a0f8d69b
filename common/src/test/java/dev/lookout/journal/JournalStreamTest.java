package dev.lookout.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStreamTest {
    @TempDir
    Path dir;

    @Test
    void eachLineGetsThePriorityOfItsLevel() {
        ByteArrayOutputStream journal = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(new JournalStream(journal), true, StandardCharsets.UTF_8)) {
            err.println("INFO watching synthetic");
            err.print("WARN not delivered now, ");
            err.println("kept in the spool");
            err.println("ERROR stopping: java.io.IOException: gone");
            err.println("\tat dev.lookout.Some.where(Some.java:1)");
            err.println("Caused by: java.io.IOException: deeper");
            err.println("prune: removed 3 images");
            err.println("Error: no image root at /nowhere (see --dir)");
            err.println("DEBUG details");
            err.print("a last line without its newline");
        }
        assertEquals("""
                <6>INFO watching synthetic
                <4>WARN not delivered now, kept in the spool
                <3>ERROR stopping: java.io.IOException: gone
                <3>\tat dev.lookout.Some.where(Some.java:1)
                <3>Caused by: java.io.IOException: deeper
                <6>prune: removed 3 images
                <3>Error: no image root at /nowhere (see --dir)
                <7>DEBUG details
                <6>a last line without its newline
                """, journal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theJournalIsTheStreamJournalStreamNames() throws Exception {
        Path socket = Files.createSymbolicLink(dir.resolve("2"), Path.of("socket:[4711]"));
        Path file = Files.createSymbolicLink(dir.resolve("3"), Path.of("/dev/pts/1"));
        assertTrue(JournalStream.isJournal("0:4711", socket));
        assertFalse(JournalStream.isJournal("0:4712", socket), "another stream: a shell started from a unit");
        assertFalse(JournalStream.isJournal("0:4711", file));
        assertFalse(JournalStream.isJournal(null, socket));
        assertFalse(JournalStream.isJournal("", socket));
    }
}
