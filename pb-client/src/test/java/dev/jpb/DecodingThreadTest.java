package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decoding runs application code (constructors of copies, {@code hashCode} while a set is
 * built): it happens on the thread that runs the call or completes its future, never on an
 * I/O thread.
 */
@Timeout(30)
class DecodingThreadTest {
    static final List<String> THREADS = new CopyOnWriteArrayList<>();

    /** Records the thread of every construction and hash. */
    public record Probe(String name) implements Copyable {
        public Probe {
            THREADS.add("constructor on " + Thread.currentThread().getName());
        }

        @Override
        public int hashCode() {
            THREADS.add("hashCode on " + Thread.currentThread().getName());
            return name.hashCode();
        }
    }

    public static class Server extends Root {
        public Set<Probe> remote_keep(Set<Probe> probes) {
            return probes;
        }

        /** Returns the client's answer as its own (forwarded, PB's chained Deferred). */
        public CompletableFuture<Object> remote_relay(RemoteReference client) {
            return client.callRemote("probes");
        }
    }

    public static class Client extends Referenceable {
        public Set<Probe> remote_probes() {
            return Set.of(new Probe("c"));
        }
    }

    @Test
    void argumentsAndAnswersAreDecodedOffTheEventLoops() throws Exception {
        try (Loopback lo = new Loopback(new Server(), Probe.class)) {
            RemoteReference root = get(lo.client().getRootObject());
            Set<Probe> sent = Set.of(new Probe("a"), new Probe("b"));
            THREADS.clear();

            Set<Probe> blocking = get(root.callRemote("keep", sent));
            Set<Probe> composed = get(root.<Set<Probe>>callRemote("keep", sent)
                    .thenApply(s -> s));

            Object relayed = get(root.callRemote("relay", new Client()));

            assertThat(relayed).isEqualTo(Set.of(new Probe("c")));
            assertThat(blocking).isEqualTo(sent);
            assertThat(composed).isEqualTo(sent);
            assertThat(THREADS).as("decoding ran user code").isNotEmpty()
                    .noneMatch(t -> t.contains("-io-"));
        }
    }
}
