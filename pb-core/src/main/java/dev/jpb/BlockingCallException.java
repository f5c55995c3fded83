package dev.jpb;

/**
 * Code running on a Netty event loop tried to block ({@code get}, {@code get(timeout, unit)} or
 * {@code join}) on a jpb call's future that is not done yet. That is refused at once: the event
 * loop may be the very thread that has to read the answer, so waiting would deadlock the
 * connection (or hang it until the timeout). User code runs on an event loop when the executor
 * is direct ({@code executor(Runnable::run)} on {@code PbServer.builder()} or
 * {@code PbClient.builder()}). Compose instead ({@code thenApply}, {@code thenCompose}), return
 * the future from the {@code remote_} method, or use a non-direct executor. A future that is
 * already done returns its result from any thread, and a zero timeout polls without blocking.
 *
 * <p>Thrown by the waiting call itself, not wrapped in an {@code ExecutionException} or a
 * {@code CompletionException}. When a {@code remote_} method lets it escape, its caller sees a
 * {@link RemoteCallException} whose {@link RemoteCallException#remoteType() remoteType} is this
 * class's name, like any other exception a method throws.
 */
public class BlockingCallException extends PbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public BlockingCallException(String message) {
        super(message);
    }
}
