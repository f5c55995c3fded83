package dev.jpb.examples.notifier;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A notifier client: subscribes a {@link Subscriber} and prints what it is told. The user code
 * is {@link Subscriber#remote_notify}; jpb decodes the event and dispatches the call to it.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.notifier.NotifierClient
 * </pre>
 */
public final class NotifierClient implements AutoCloseable {
    /**
     * The callback a client subscribes: passed by reference, called by the server with a copied
     * {@link Event}. On a random event it asks the server for a random number and prints it;
     * on a classified one it prints the text.
     */
    public static final class Subscriber extends Referenceable {
        private final RemoteReference notifier;
        private final Consumer<String> out;

        /**
         * Creates a subscriber that calls {@code notifier} back and prints to {@code out}.
         *
         * @param notifier the reference to the server's {@link Notifier}
         * @param out      receives each line the subscriber prints
         */
        public Subscriber(RemoteReference notifier, Consumer<String> out) {
            this.notifier = requireNonNull(notifier, "notifier");
            this.out = requireNonNull(out, "out");
        }

        /**
         * Handles one event and answers the line it printed. Returning a stage frees this
         * connection's turn at once: the server's next call may start while this one waits
         * for its random number.
         */
        public CompletionStage<String> remote_notify(Event event) {
            return switch (event.kind()) {
                case Event.RANDOM -> notifier.<Integer>callRemote("random")
                        .thenApply(n -> print("random number: " + n));
                case Event.CLASSIFIED ->
                        CompletableFuture.completedFuture(print("classified: " + event.text()));
                default -> CompletableFuture.completedFuture(print("ignored: " + event));
            };
        }

        private String print(String line) {
            out.accept(line);
            return line;
        }
    }

    private final PbClient client;
    private final RemoteReference notifier;
    private final Subscriber subscriber;

    private NotifierClient(PbClient client, RemoteReference notifier, Subscriber subscriber) {
        this.client = client;
        this.notifier = notifier;
        this.subscriber = subscriber;
    }

    /** Connects to a notifier server and subscribes; each printed line goes to {@code out}. */
    public static NotifierClient connect(String host, int port, Consumer<String> out)
            throws Exception {
        PbClient client = PbClient.builder().register(Event.class).connect(host, port);
        try {
            RemoteReference notifier = client.getRootObject().get();
            return new NotifierClient(client, notifier, subscribe(notifier, out));
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }

    /**
     * Subscribes a new {@link Subscriber} to {@code notifier}; waits for the answer.
     *
     * @return the subscriber, which the caller keeps to unsubscribe later
     */
    public static Subscriber subscribe(RemoteReference notifier, Consumer<String> out)
            throws Exception {
        Subscriber subscriber = new Subscriber(notifier, out);
        notifier.<Boolean>callRemote("subscribe", subscriber).get();
        return subscriber;
    }

    /**
     * Unsubscribes this client's subscriber.
     *
     * @return whether the server had it
     */
    public boolean unsubscribe() throws Exception {
        return notifier.<Boolean>callRemote("unsubscribe", subscriber).get();
    }

    /** Returns the connection to the server. */
    public PbClient client() {
        return client;
    }

    /** Closes the connection; the server drops the subscriber. */
    @Override
    public void close() {
        client.close();
    }

    /** Subscribes on port {@code args[0]} and prints events until end of input. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : NotifierServer.PORT;
        NotifierClient client = connect("127.0.0.1", port, System.out::println);
        try {
            System.out.println("subscribed; waiting for events (end of input to quit)");
            while (System.in.read() >= 0) {
                // keep running until standard input closes
            }
        } finally {
            client.close();
        }
    }
}
