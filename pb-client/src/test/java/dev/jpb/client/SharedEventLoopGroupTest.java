package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.transport.Transport;
import dev.jpb.server.PbServer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SharedEventLoopGroupTest {
    public static class Calculator extends Root {
        public int remote_add(int a, int b) {
            return a + b;
        }

        /** Asks the caller's callback which thread it runs on. */
        public CompletionStage<String> remote_ask(RemoteReference teller) {
            return teller.callRemote("thread");
        }
    }

    /** A client callback that names the thread it runs on. */
    public static class ThreadTeller extends Referenceable {
        public String remote_thread() {
            return Thread.currentThread().getName();
        }
    }

    private PbServer server;

    @BeforeEach
    void startServer() {
        server = PbServer.builder().root(new Calculator()).bind("127.0.0.1", 0).build().start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void clientsOnOneGroupWorkAndClosingOneLeavesTheOtherAndTheGroup() throws Exception {
        EventLoopGroup group = Transport.newEventLoopGroup(1, "shared-io");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            PbClient first = connect(PbClient.builder().eventLoopGroup(group).executor(executor));
            PbClient second = connect(PbClient.builder().eventLoopGroup(group).executor(executor));
            assertThat(add(first, 1, 2)).isEqualTo(3);
            assertThat(add(second, 3, 4)).isEqualTo(7);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 2);

            first.close();

            assertThat(first.connection().isOpen()).isFalse();
            assertThat(group.isShuttingDown()).isFalse();
            assertThat(executor.isShutdown()).isFalse();
            assertThat(add(second, 5, 6)).isEqualTo(11);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);
            PbClient third = connect(PbClient.builder().eventLoopGroup(group).executor(executor));
            assertThat(add(third, 7, 8)).isEqualTo(15);

            second.close();
            third.close();
            assertThat(group.isShuttingDown()).isFalse();
            assertThat(executor.isShutdown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            executor.shutdown();
        }
    }

    @Test
    void aNioGroupRunsTheClientsIo() throws Exception {
        assertIoRunsOn(NioIoHandler.newFactory());
    }

    @Test
    void anEpollGroupRunsTheClientsIo() throws Exception {
        assumeThat(Epoll.isAvailable()).as("epoll available").isTrue();
        assertIoRunsOn(EpollIoHandler.newFactory());
    }

    @Test
    void shuttingTheGroupDownClosesItsClients() throws Exception {
        EventLoopGroup group = Transport.newEventLoopGroup(1, "shared-io");
        PbClient client = connect(PbClient.builder().eventLoopGroup(group));
        try {
            assertThat(add(client, 1, 1)).isEqualTo(2);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            client.connection().closeFuture().get(10, TimeUnit.SECONDS);
            assertThat(client.connection().isOpen()).isFalse();
        } finally {
            client.close();
        }
    }

    @Test
    void refusesAGroupThatIsNeitherEpollNorNio() {
        EventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> PbClient.builder().eventLoopGroup(group))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("eventLoopGroup: ")
                    .hasMessageContaining("expected: an epoll or NIO group");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void refusesAGroupShuttingDown() {
        EventLoopGroup group = Transport.newEventLoopGroup(1, "shared-io");
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertThatThrownBy(() -> PbClient.builder().eventLoopGroup(group))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: not shut down");
    }

    @Test
    void aFailedConnectLeavesTheSharedGroupRunning() {
        EventLoopGroup group = Transport.newEventLoopGroup(1, "shared-io");
        try {
            int port = server.port();
            server.close();
            assertThatThrownBy(() -> PbClient.builder().eventLoopGroup(group)
                    .connect("127.0.0.1", port))
                    .isInstanceOf(PbException.class)
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** With the direct executor, callbacks run on the I/O thread: it must be the group's. */
    private void assertIoRunsOn(IoHandlerFactory factory) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("given-io", true), factory);
        try (PbClient client = connect(PbClient.builder().eventLoopGroup(group)
                .executor(Runnable::run))) {
            RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
            String thread = root.<String>callRemote("ask", new ThreadTeller())
                    .get(10, TimeUnit.SECONDS);
            assertThat(thread).startsWith("given-io-");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private PbClient connect(PbClient.Builder builder) {
        return builder.connect("127.0.0.1", server.port());
    }

    private static int add(PbClient client, int a, int b) throws Exception {
        RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
        return root.<Integer>callRemote("add", a, b).get(10, TimeUnit.SECONDS);
    }
}
