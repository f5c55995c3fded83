package dev.jpb.examples.notifier;

import dev.jpb.server.PbServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link Notifier} as the root object on a port (default 8791) and publishes an event
 * every two seconds, alternately random and classified.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.notifier.NotifierServer
 * </pre>
 */
public final class NotifierServer {
    /** The default port. */
    public static final int PORT = 8791;

    private NotifierServer() {
    }

    /** Configures {@code builder} to serve {@code notifier}, with {@link Event} registered. */
    public static PbServer.Builder configure(PbServer.Builder builder, Notifier notifier) {
        return builder.root(notifier).register(Event.class);
    }

    /** Starts a server whose root is {@code notifier} on {@code port} (0 = any free port). */
    public static PbServer start(Notifier notifier, int port) {
        return configure(PbServer.builder(), notifier).bind("127.0.0.1", port).build().start();
    }

    /** Runs the server until the process is stopped; {@code args[0]} is the port. */
    public static void main(String[] args) throws InterruptedException {
        Notifier notifier = new Notifier(() -> ThreadLocalRandom.current().nextInt(1, 101));
        PbServer server = start(notifier, args.length > 0 ? Integer.parseInt(args[0]) : PORT);
        System.out.println("notifier listening on port " + server.port());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tick = new AtomicInteger();
        clock.scheduleAtFixedRate(() -> {
            int n = tick.incrementAndGet();
            Event event = n % 2 == 1 ? new Event(Event.RANDOM, "tick " + n)
                    : new Event(Event.CLASSIFIED, "the eagle has landed (" + n + ")");
            for (CompletableFuture<String> answer : notifier.publish(event)) {
                answer.whenComplete((line, error) -> System.out.println(error == null
                        ? "a subscriber printed: " + line
                        : "a subscriber could not be told: " + error));
            }
        }, 2, 2, TimeUnit.SECONDS);
        Thread.currentThread().join();
    }
}
