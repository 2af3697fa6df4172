// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueHandler;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Reads JSON-RPC messages framed by {@code Content-Length}: the whole body first, then the parse, so that a body
 * the parser gives up on (JSON nested 256 deep, a truncated value) costs that one message and never the framing
 * of the next one. lsp4j 1.0's reader parses straight from the stream and, when gson stops mid-body, reads the
 * rest of the body as headers: the server went deaf for good.
 *
 * <p>A message that cannot be parsed is answered with a ParseError (-32700) under its id when one can be read from
 * the body's top level (so the client's request is answered), else under id null, as JSON-RPC says. A body larger
 * than {@link #MAX_BODY_BYTES} is skipped without being held in memory and answered the same way. The end of
 * input, even in the middle of a message, ends listening quietly.
 */
final class FramedMessageProducer implements MessageProducer {
    /**
     * Larger than any message an editor sends: a full-text didChange of the largest source analysed (8 MiB,
     * escaped) fits several times.
     */
    static final int MAX_BODY_BYTES = 64 << 20;
    private static final int MAX_HEADER_LINE = 8 << 10;
    /** What {@link #readHeaders} returns at the end of input, and for a block without a usable length. */
    private static final int END = -2;
    private static final int NONE = -1;

    private final InputStream input;
    private final MessageJsonHandler jsonHandler;
    private final MessageIssueHandler issueHandler;
    private final BiConsumer<Object, String> unparsable;
    private final Consumer<String> log;
    private volatile boolean keepRunning;
    /** The charset of the message being read (Content-Type; UTF-8 by default). */
    private Charset charset = StandardCharsets.UTF_8;

    /**
     * @param issueHandler answers a message lsp4j parsed but found wrong (lsp4j's RemoteEndpoint)
     * @param unparsable   answers a body that could not be parsed: its id (a Long or a String; null when none was
     *                     found) and what was wrong, for a ParseError response
     * @param log          one line per problem (stderr); never a stack trace
     */
    FramedMessageProducer(InputStream input, MessageJsonHandler jsonHandler, MessageIssueHandler issueHandler,
            BiConsumer<Object, String> unparsable, Consumer<String> log) {
        this.input = input;
        this.jsonHandler = jsonHandler;
        this.issueHandler = issueHandler;
        this.unparsable = unparsable;
        this.log = log;
    }

    @Override
    public void listen(MessageConsumer callback) {
        keepRunning = true;
        try {
            while (keepRunning) {
                int contentLength = readHeaders();
                if (contentLength == END) {
                    return;
                }
                if (contentLength == NONE) {
                    continue; // headers without a usable Content-Length: nothing to read as a body
                }
                if (contentLength > MAX_BODY_BYTES) {
                    log.accept("klp: skipped a message of " + contentLength + " bytes (the limit is " + MAX_BODY_BYTES
                            + ")");
                    if (!skip(contentLength)) {
                        return;
                    }
                    unparsable.accept(null, "message of " + contentLength + " bytes is larger than the "
                            + MAX_BODY_BYTES + "-byte limit");
                    continue;
                }
                byte[] body = input.readNBytes(contentLength);
                if (body.length < contentLength) {
                    return; // the end of input in the middle of a message: the client is gone
                }
                consume(callback, new String(body, charset));
            }
        } catch (InterruptedIOException | ClosedChannelException e) {
            // Closed or interrupted: the end of listening.
        } catch (IOException e) {
            log.accept("klp: reading the client's messages failed: " + e.getMessage());
        }
    }

    /** Reads one header block; the Content-Length, or {@link #NONE} without a usable one, or {@link #END}. */
    private int readHeaders() throws IOException {
        int contentLength = NONE;
        charset = StandardCharsets.UTF_8;
        boolean any = false;
        while (true) {
            String line = readLine();
            if (line == null) {
                return END;
            }
            if (line.isEmpty()) {
                if (!any) {
                    continue; // stray blank lines between messages
                }
                return contentLength;
            }
            any = true;
            int colon = line.indexOf(':');
            if (colon < 0) {
                log.accept("klp: ignored a malformed header line");
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("content-length")) {
                try {
                    long length = Long.parseLong(value);
                    contentLength = length < 0 ? NONE : (int) Math.min(length, Integer.MAX_VALUE);
                } catch (NumberFormatException e) {
                    log.accept("klp: ignored a message with Content-Length '" + value + "'");
                }
            } else if (key.equals("content-type")) {
                int at = value.indexOf("charset=");
                if (at >= 0) {
                    try {
                        charset = Charset.forName(value.substring(at + 8).trim().replace("\"", ""));
                    } catch (RuntimeException e) {
                        charset = StandardCharsets.UTF_8;
                    }
                }
            }
        }
    }

    /** A header line without its line break; null at the end of input. Overlong lines are cut, not buffered. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = input.read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (c != '\r' && line.size() < MAX_HEADER_LINE) {
                line.write(c);
            }
        }
    }

    /** Reads and drops {@code length} bytes (skip() can fail on a pipe); false at the end of input. */
    private boolean skip(long length) throws IOException {
        byte[] scratch = new byte[64 << 10];
        long left = length;
        while (left > 0) {
            int read = input.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (read < 0) {
                return false;
            }
            left -= read;
        }
        return true;
    }

    private void consume(MessageConsumer callback, String body) {
        Message message;
        try {
            message = jsonHandler.parseMessage(body);
        } catch (MessageIssueException e) {
            boolean parseError = e.getIssues().stream()
                    .anyMatch(issue -> issue.getIssueCode() == ResponseErrorCode.ParseError.getValue());
            if (parseError && !(e.getRpcMessage() instanceof RequestMessage)) {
                // Truncated or broken JSON whose id lsp4j could not read: JSON-RPC answers it under id null.
                log.accept("klp: could not parse a message");
                unparsable.accept(TopLevel.id(body), "could not parse the message");
            } else {
                issueHandler.handle(e.getRpcMessage(), e.getIssues());
            }
            return;
        } catch (RuntimeException | StackOverflowError e) {
            log.accept("klp: could not parse a message: " + firstLine(e));
            unparsable.accept(TopLevel.id(body), "could not parse the message: " + firstLine(e));
            return;
        }
        try {
            callback.consume(message);
        } catch (MessageIssueException e) {
            issueHandler.handle(e.getRpcMessage(), e.getIssues());
        } catch (RuntimeException e) {
            // A handler that throws is answered by lsp4j's endpoint; anything left here must not end the loop.
            log.accept("klp: internal error while handling a message: " + firstLine(e));
        }
    }

    static String firstLine(Throwable e) {
        String text = String.valueOf(e.getMessage());
        int newline = text.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? text : text.substring(0, newline));
    }

    /** Stops listening after the current message. */
    void close() {
        keepRunning = false;
    }

    /** The id of a JSON-RPC body at its top level, read without a full parse (the body did not parse). */
    static final class TopLevel {
        private TopLevel() {
        }

        /** A Long, a String, or null when the top level has no readable {@code "id"}. */
        static Object id(String body) {
            int depth = 0;
            int i = 0;
            int n = body.length();
            while (i < n) {
                char c = body.charAt(i);
                if (c == '"') {
                    int end = stringEnd(body, i);
                    if (end < 0) {
                        return null;
                    }
                    if (depth == 1 && body.substring(i + 1, end).equals("id")) {
                        int value = skipSpace(body, end + 1);
                        if (value < n && body.charAt(value) == ':') {
                            return value(body, skipSpace(body, value + 1));
                        }
                    }
                    i = end + 1;
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                i++;
            }
            return null;
        }

        private static Object value(String body, int at) {
            if (at >= body.length()) {
                return null;
            }
            if (body.charAt(at) == '"') {
                int end = stringEnd(body, at);
                return end < 0 ? null : body.substring(at + 1, end);
            }
            int end = at;
            while (end < body.length() && (Character.isDigit(body.charAt(end)) || body.charAt(end) == '-')) {
                end++;
            }
            try {
                return end > at ? Long.parseLong(body.substring(at, end)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static int stringEnd(String body, int quote) {
            for (int i = quote + 1; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i;
                }
            }
            return -1;
        }

        private static int skipSpace(String body, int at) {
            while (at < body.length() && Character.isWhitespace(body.charAt(at))) {
                at++;
            }
            return at;
        }
    }
}
