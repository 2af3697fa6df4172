// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.validation.ReflectiveMessageValidator;

/**
 * The LSP rules lsp4j leaves to the server, applied to every incoming message before it reaches a handler:
 * before {@code initialize} a request is answered ServerNotInitialized (-32002) and a notification dropped; after
 * {@code shutdown} a request is InvalidRequest and a notification other than {@code exit} dropped; a second
 * {@code initialize} is InvalidRequest; a request without params (all but {@code shutdown} take them) or with a
 * required field missing ({@code position}, {@code range}, {@code command}...) is InvalidParams (-32602), never an
 * internal error with a stack trace.
 */
final class ProtocolGuard implements MessageConsumer {
    private final MessageConsumer next;
    private final BiConsumer<RequestMessage, ResponseError> answer;
    private final Consumer<String> log;
    /** Checks the @NonNull fields lsp4j declares on its params, incoming messages only. */
    private final ReflectiveMessageValidator validator = new ReflectiveMessageValidator();
    private volatile boolean initializeSeen;
    private volatile boolean shutdownSeen;

    /**
     * @param answer sends an error response to a request (lsp4j's endpoint does the id bookkeeping)
     * @param log    one line per dropped message (stderr)
     */
    ProtocolGuard(MessageConsumer next, BiConsumer<RequestMessage, ResponseError> answer, Consumer<String> log) {
        this.next = next;
        this.answer = answer;
        this.log = log;
    }

    @Override
    public void consume(Message message) {
        if (message instanceof RequestMessage request) {
            request(request);
        } else if (message instanceof NotificationMessage notification) {
            notification(notification);
        } else {
            next.consume(message); // responses to the server's own requests
        }
    }

    private void request(RequestMessage request) {
        String method = request.getMethod();
        if (method.equals("initialize")) {
            if (initializeSeen) {
                refuse(request, ResponseErrorCode.InvalidRequest, "initialize was sent already");
                return;
            }
        } else if (!initializeSeen) {
            refuse(request, ResponseErrorCode.ServerNotInitialized, "the server is not initialized: send initialize"
                    + " first");
            return;
        }
        if (shutdownSeen) {
            refuse(request, ResponseErrorCode.InvalidRequest, "the server is shut down; only exit is accepted");
            return;
        }
        if (request.getParams() == null && !method.equals("shutdown")) {
            refuse(request, ResponseErrorCode.InvalidParams, method + " needs params");
            return;
        }
        String problem = problemOf(request);
        if (problem != null) {
            refuse(request, ResponseErrorCode.InvalidParams, problem);
            return;
        }
        if (method.equals("initialize")) {
            initializeSeen = true;
        } else if (method.equals("shutdown")) {
            shutdownSeen = true;
        }
        next.consume(request);
    }

    private void notification(NotificationMessage notification) {
        String method = notification.getMethod();
        if (method.equals("exit")) {
            next.consume(notification);
            return;
        }
        if (!initializeSeen || shutdownSeen) {
            log.accept("klp: dropped " + method + (shutdownSeen ? " after shutdown" : " before initialize"));
            return;
        }
        if (notification.getParams() == null && !method.equals("initialized") && !method.startsWith("$/")) {
            log.accept("klp: dropped " + method + " without params");
            return;
        }
        String problem = problemOf(notification);
        if (problem != null) {
            log.accept("klp: dropped " + method + ": " + problem);
            return;
        }
        next.consume(notification);
    }

    /** What the reflective validation finds wrong with a message, or null. */
    private String problemOf(Message message) {
        try {
            validator.consume(message);
            return null;
        } catch (MessageIssueException e) {
            return e.getIssues().isEmpty() ? "invalid params" : e.getIssues().get(0).getText();
        }
    }

    private void refuse(RequestMessage request, ResponseErrorCode code, String text) {
        answer.accept(request, new ResponseError(code, text, null));
    }
}
