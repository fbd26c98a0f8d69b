package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {
    @Test
    void encodesAndParsesBothKinds() throws ProtocolException {
        assertEquals("OK door/2026-05-04/10-20-30.456.jpg\n",
                new String(Reply.ok("door/2026-05-04/10-20-30.456.jpg").encode(), StandardCharsets.UTF_8));
        assertEquals("ERR full x\n",
                new String(Reply.error(ErrorCode.FULL, "x").encode(), StandardCharsets.UTF_8));
        Reply parsed = Reply.parse("ERR bad-image not a valid JPEG: truncated");
        assertEquals(ErrorCode.BAD_IMAGE, parsed.code());
        assertEquals("not a valid JPEG: truncated", parsed.text());
        assertTrue(Reply.parse("OK a/b.jpg").isOk());
    }

    @Test
    void everyCodeRoundTripsThroughItsToken() throws ProtocolException {
        for (ErrorCode code : ErrorCode.values()) {
            String line = new String(Reply.error(code, "why").encode(), StandardCharsets.UTF_8).strip();
            assertEquals(code, Reply.parse(line).code());
        }
    }

    @Test
    void anUnknownCodeIsTreatedAsRetryable() throws ProtocolException {
        Reply reply = Reply.parse("ERR from-the-future something");
        assertTrue(reply.code().retryable());
    }

    @Test
    void controlCharactersCannotSplitTheLine() {
        byte[] line = Reply.error(ErrorCode.BAD_FRAME, "evil\nOK fake.jpg\r").encode();
        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals(1, text.chars().filter(c -> c == '\n').count());
        assertTrue(text.endsWith(" \n"));
        assertTrue(line.length <= Reply.MAX_LINE_BYTES);
    }

    @Test
    void refusesWhatIsNotAReply() {
        assertThrows(ProtocolException.class, () -> Reply.parse("HTTP/1.0 200 OK"));
        assertThrows(ProtocolException.class, () -> Reply.parse("OK "));
    }
}
