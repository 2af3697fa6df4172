// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client that breaks the protocol gets from the real server: an answer to every request with the error
 * code LSP and JSON-RPC name, no stack trace, and a server that stays in sync and alive.
 */
class ProtocolHygieneTest {
    private static final String HOVER = "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"textDocument/hover\",\"params\":%s}";

    @TempDir
    Path dir;

    @Test
    void requestsBeforeInitializeAreServerNotInitializedAndAfterShutdownInvalidRequest() throws Exception {
        try (RawServer server = new RawServer(dir)) {
            server.send(HOVER.formatted(1, "{\"textDocument\":{\"uri\":\"file:///x.c\"},"
                    + "\"position\":{\"line\":0,\"character\":0}}"));
            assertEquals(-32002, server.errorCode(1), "ServerNotInitialized");
            server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"processId\":null,"
                    + "\"rootUri\":\"" + dir.toUri() + "\",\"capabilities\":{}}}");
            assertEquals(0, server.errorCode(2));
            server.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"processId\":null,"
                    + "\"rootUri\":\"" + dir.toUri() + "\",\"capabilities\":{}}}");
            assertEquals(-32600, server.errorCode(3), "a second initialize is InvalidRequest");
            server.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"shutdown\"}");
            assertEquals(0, server.errorCode(4));
            server.send(HOVER.formatted(5, "{\"textDocument\":{\"uri\":\"file:///x.c\"},"
                    + "\"position\":{\"line\":0,\"character\":0}}"));
            assertEquals(-32600, server.errorCode(5), "InvalidRequest after shutdown");
            server.send("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
            assertTrue(server.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, server.process.exitValue());
            assertFalse(server.stderr().contains("\tat "), server.stderr());
        }
    }

    @Test
    void missingParamsAreInvalidParamsNotAnInternalErrorWithAStackTrace() throws Exception {
        try (RawServer server = new RawServer(dir)) {
            server.initialize(dir);
            server.send(HOVER.formatted(2, "null"));
            assertEquals(-32602, server.errorCode(2), "hover without params");
            server.send(HOVER.formatted(3, "{\"textDocument\":{\"uri\":\"file:///x.c\"}}"));
            assertEquals(-32602, server.errorCode(3), "hover without a position");
            server.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/codeAction\",\"params\":"
                    + "{\"textDocument\":{\"uri\":\"file:///x.c\"},\"context\":{\"diagnostics\":[]}}}");
            assertEquals(-32602, server.errorCode(4), "codeAction without a range");
            server.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"workspace/executeCommand\",\"params\":{}}");
            assertEquals(-32602, server.errorCode(5), "executeCommand without a command");
            server.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"workspace/executeCommand\",\"params\":"
                    + "{\"command\":\"klp.check\",\"arguments\":[42]}}");
            assertEquals(-32602, server.errorCode(6), "klp.check takes strings only");
            server.send(HOVER.formatted(7, "{\"textDocument\":{\"uri\":\"file:///x.c\"},"
                    + "\"position\":{\"line\":0,\"character\":0}}"));
            assertEquals(0, server.errorCode(7), "and the server still answers");
            server.closeInput();
            assertTrue(server.process.waitFor(20, TimeUnit.SECONDS));
            String stderr = server.stderr();
            assertFalse(stderr.contains("\tat ") || stderr.contains("Exception in"), stderr);
        }
    }

    @Test
    void aMessageThatDoesNotParseIsAnsweredAndTheNextOneStillArrives() throws Exception {
        try (RawServer server = new RawServer(dir)) {
            server.initialize(dir);
            // JSON nested deeper than gson's 255 levels, in a request with id 7.
            String deep = "[".repeat(300) + "]".repeat(300);
            server.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/hover\",\"params\":{\"x\":" + deep
                    + "}}");
            JsonObject parseError = server.response(7);
            assertEquals(-32700, parseError.getAsJsonObject("error").get("code").getAsInt(), parseError.toString());
            // Truncated JSON without a readable id: answered under id null.
            server.send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/hover\",\"params\":{\"a\":");
            assertEquals(-32700, server.errorCode(null));
            // A body over the limit is skipped, not held in memory, and answered under id null.
            byte[] huge = new byte[FramedMessageProducer.MAX_BODY_BYTES + 1];
            Arrays.fill(huge, (byte) ' ');
            server.sendRaw(huge);
            assertEquals(-32700, server.errorCode(null));
            server.send(HOVER.formatted(8, "{\"textDocument\":{\"uri\":\"file:///x.c\"},"
                    + "\"position\":{\"line\":0,\"character\":0}}"));
            assertEquals(0, server.errorCode(8), "the stream stayed in sync");
        }
    }

    @Test
    void theEndOfInputInTheMiddleOfAMessageEndsTheServerQuietly() throws Exception {
        try (RawServer server = new RawServer(dir)) {
            server.initialize(dir);
            server.write("Content-Length: 100\r\n\r\n{\"jsonrpc\":".getBytes(StandardCharsets.US_ASCII));
            server.closeInput();
            assertTrue(server.process.waitFor(20, TimeUnit.SECONDS), "still running after the end of input");
            String stderr = server.stderr();
            assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), stderr);
        }
    }
}
