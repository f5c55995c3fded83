package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DisconnectTest {
    public static class Slow extends Root {
        final CountDownLatch entered = new CountDownLatch(1);
        final CompletableFuture<String> never = new CompletableFuture<>();
        volatile RemoteReference callback;
        final AtomicInteger notified = new AtomicInteger();

        public CompletableFuture<String> remote_hang() {
            entered.countDown();
            return never;
        }

        public void remote_watch(RemoteReference cb) {
            callback = cb;
            cb.notifyOnDisconnect(r -> notified.incrementAndGet());
        }

        public int remote_one() {
            return 1;
        }
    }

    public static class Callback extends Referenceable {
        public void remote_ping() {
        }
    }

    @Test
    void pendingCallsFailWithConnectionLostAndLaterOnesWithDeadReference() throws Exception {
        Slow slow = new Slow();
        try (Loopback lo = new Loopback(slow)) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            CompletableFuture<String> pending = root.callRemote("hang");
            slow.entered.await();
            client.connection().close();
            assertThatThrownBy(() -> get(pending)).cause()
                    .isInstanceOf(ConnectionLostException.class);
            assertThatThrownBy(() -> get(root.callRemote("one"))).cause()
                    .isInstanceOf(DeadReferenceException.class);
            assertThat(root.isConnected()).isFalse();
            client.connection().closeFuture().get();
            assertThat(client.connection().importedReferenceCount()).isZero();
        }
    }

    @Test
    void disconnectListenersRunOnceOnBothEnds() throws Exception {
        Slow slow = new Slow();
        try (Loopback lo = new Loopback(slow)) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            AtomicInteger clientSide = new AtomicInteger();
            Consumer<RemoteReference> removed = r -> clientSide.addAndGet(100);
            root.notifyOnDisconnect(r -> clientSide.incrementAndGet());
            root.notifyOnDisconnect(removed);
            root.dontNotifyOnDisconnect(removed);
            get(root.callRemote("watch", new Callback()));
            client.close();
            client.close(); // idempotent
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(slow.notified).hasValue(1);
                assertThat(clientSide).hasValue(1);
            });
            // added after the loss: runs at once
            CountDownLatch late = new CountDownLatch(1);
            slow.callback.notifyOnDisconnect(r -> late.countDown());
            late.await();
            assertThat(slow.notified).hasValue(1);
            await().untilAsserted(() -> assertThat(lo.server.connections()).isEmpty());
        }
    }

    @Test
    void serverCloseFailsClientCallsAndLeavesNoThreads() throws Exception {
        Set<String> before = jpbThreads();
        Slow slow = new Slow();
        PbServer server = PbServer.builder().root(slow).build().start();
        PbClient client = PbClient.connect("127.0.0.1", server.port());
        RemoteReference root = get(client.getRootObject());
        CompletableFuture<String> pending = root.callRemote("hang");
        slow.entered.await();
        server.close();
        server.close(); // idempotent
        assertThatThrownBy(() -> get(pending)).cause()
                .isInstanceOf(ConnectionLostException.class);
        client.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(jpbThreads()).isSubsetOf(before));
        assertThatThrownBy(() -> PbClient.connect("127.0.0.1", server.port()))
                .isInstanceOf(PbException.class).hasMessageContaining("cannot connect");
    }

    @Test
    void bindingATakenPortFailsWithAClearError() {
        try (PbServer a = PbServer.builder().root(new Slow()).build().start()) {
            assertThatThrownBy(() -> PbServer.builder().root(new Slow())
                    .bind("127.0.0.1", a.port()).build().start())
                    .isInstanceOf(PbException.class).hasMessageContaining("cannot listen");
        }
    }

    private static Set<String> jpbThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jpb-")
                        && !t.getName().equals("jpb-reference-cleaner"))
                .map(Thread::getName).collect(Collectors.toSet());
    }
}
