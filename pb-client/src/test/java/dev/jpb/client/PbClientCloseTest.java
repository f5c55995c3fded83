package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Root;
import dev.jpb.server.PbServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PbClientCloseTest {
    @Test
    void aCloseThatCannotFinishSaysSoInsteadOfSwallowingIt() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CountDownLatch unblock = new CountDownLatch(1);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PbServer server = PbServer.builder().root(new Root()).build().start()) {
            PbClient client = PbClient.builder().eventLoopGroup(group)
                    .connect("127.0.0.1", server.port());
            CountDownLatch blocked = new CountDownLatch(1);
            group.execute(() -> { // the application blocks the shared I/O thread
                blocked.countDown();
                try {
                    unblock.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                client.close();
            } finally {
                System.setErr(err);
            }
            assertThat(captured.toString(StandardCharsets.UTF_8))
                    .contains("WARN").contains("did not close within 5 s");
        } finally {
            unblock.countDown();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
