// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.eclipse.lsp4j.launch.LSPLauncher;

/**
 * Connects a {@link KlpLanguageServer} to a client over a pair of streams: lsp4j's endpoint and proxies, with
 * klp-lsp's own {@link FramedMessageProducer} (whole bodies, parse errors answered) and {@link ProtocolGuard}
 * (lifecycle and params) in front of the handlers, and an exception handler that answers an internal error in
 * one line (the stack goes to stderr, not to the client). {@code klp-lsp serve} and the tests connect through it.
 */
public final class LspTransport {
    private LspTransport() {
    }

    /**
     * Starts listening on {@code in}; the future completes when the input ends.
     *
     * @param log where problems with the client's messages and internal errors are written (stderr)
     */
    public static Future<Void> start(KlpLanguageServer server, InputStream in, OutputStream out, PrintWriter log) {
        Builder builder = new Builder(log);
        builder.setLocalService(server).setRemoteInterface(KlpLanguageClient.class).setInput(in).setOutput(out)
                .setExceptionHandler(error -> internalError(error, log));
        Launcher<KlpLanguageClient> launcher = builder.create();
        server.connect(launcher.getRemoteProxy());
        return launcher.startListening();
    }

    /** A handler's exception as a response: its own ResponseError, else an internal error in one line. */
    private static ResponseError internalError(Throwable error, PrintWriter log) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.lang.reflect.InvocationTargetException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ResponseErrorException responseError) {
            return responseError.getResponseError();
        }
        log.println("klp: internal error, please report:");
        cause.printStackTrace(log);
        log.flush();
        return new ResponseError(ResponseErrorCode.InternalError, "klp: internal error, please report: "
                + FramedMessageProducer.firstLine(cause), null);
    }

    /** lsp4j's builder with klp-lsp's reader and guard; it keeps the pieces the reader and guard answer through. */
    private static final class Builder extends LSPLauncher.Builder<KlpLanguageClient> {
        private final PrintWriter log;
        private MessageJsonHandler jsonHandler;
        private MessageConsumer toClient;
        private RemoteEndpoint endpoint;

        Builder(PrintWriter log) {
            this.log = log;
        }

        @Override
        protected MessageJsonHandler createJsonHandler() {
            jsonHandler = super.createJsonHandler();
            return jsonHandler;
        }

        /** As lsp4j's, keeping the stream to the client so the reader can answer what it could not parse. */
        @Override
        protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler handler) {
            toClient = wrapMessageConsumer(new StreamMessageConsumer(output, handler));
            Endpoint local = ServiceEndpoints.toEndpoint(localServices);
            endpoint = new RemoteEndpoint(toClient, local, exceptionHandler);
            handler.setMethodProvider(endpoint);
            endpoint.setJsonHandler(handler);
            return endpoint;
        }

        @Override
        protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer lsp4jReader,
                MessageConsumer messageConsumer, KlpLanguageClient remoteProxy) {
            Consumer<String> logLine = line -> {
                log.println(line);
                log.flush();
            };
            MessageConsumer guarded = new ProtocolGuard(messageConsumer, (request, error) -> {
                ResponseMessage response = new ResponseMessage();
                response.setRawId(request.getRawId());
                response.setError(error);
                toClient.consume(response);
            }, logLine);
            FramedMessageProducer reader = new FramedMessageProducer(input, jsonHandler, endpoint, (id, text) -> {
                ResponseMessage response = new ResponseMessage();
                if (id instanceof Long number) {
                    response.setRawId(org.eclipse.lsp4j.jsonrpc.messages.Either.forRight(number));
                } else if (id instanceof String string) {
                    response.setRawId(org.eclipse.lsp4j.jsonrpc.messages.Either.forLeft(string));
                }
                response.setError(new ResponseError(ResponseErrorCode.ParseError, text, null));
                toClient.consume(response);
            }, logLine);
            return new ConcurrentMessageProcessor(reader, guarded);
        }
    }
}
