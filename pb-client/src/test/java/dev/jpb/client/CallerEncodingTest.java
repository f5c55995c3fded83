package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Copyable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.server.PbServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With {@code -Djpb.internal.encodeOnCaller=true} (the {@code encode-on-caller} execution of
 * pb-client's tests, which also reruns the call, ordering and reference tests that way), a
 * call's arguments are encoded before {@code callRemote} returns: what the caller does to them
 * afterwards does not reach the callee. The client's only event loop is held busy while the
 * calls are made and their arguments changed, so without the switch (encoding on that loop,
 * once it is free) the callee would get the changed values.
 */
@Tag("callerEncoding")
@Timeout(60)
class CallerEncodingTest {
    /** A mutable copy. */
    public static final class Box implements Copyable {
        int value;
        List<String> names = new ArrayList<>();

        public Box() {
        }
    }

    /** Echoes what it received. */
    public static final class Echo extends Root {
        /** Returns the list. */
        public List<Integer> remote_list(List<Integer> xs) {
            return xs;
        }

        /** Returns the bytes. */
        public byte[] remote_bytes(byte[] bytes) {
            return bytes;
        }

        /** Returns the box's value and names, as one string. */
        public String remote_box(Box box) {
            return box.value + " " + box.names;
        }

        /** Records a one-way call's list. */
        public void remote_note(List<Integer> xs) {
            noted.complete(List.copyOf(xs));
        }

        final CompletableFuture<List<Integer>> noted = new CompletableFuture<>();
    }

    @BeforeAll
    static void theSwitchIsOn() {
        assertThat(Boolean.getBoolean("jpb.internal.encodeOnCaller"))
                .as("run with -Djpb.internal.encodeOnCaller=true (mvn: the encode-on-caller"
                        + " execution)").isTrue();
    }

    @Test
    void argumentsChangedRightAfterCallRemoteReturnsArriveAsTheyWereWhenCalled()
            throws Exception {
        Echo echo = new Echo();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (PbServer server = PbServer.builder().root(echo).register(Box.class)
                .bind("127.0.0.1", 0).build().start();
                PbClient client = PbClient.builder().register(Box.class).eventLoopGroup(group)
                        .connect("127.0.0.1", server.port())) {
            RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
            List<Integer> list = new ArrayList<>(List.of(1, 2, 3));
            byte[] bytes = {1, 2, 3, 4};
            Box box = new Box();
            box.value = 7;
            box.names.add("seven");
            List<Integer> oneWay = new ArrayList<>(List.of(9));

            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            group.next().execute(() -> { // the client's only event loop: busy until released
                held.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<List<Integer>> gotList = root.callRemote("list", list);
            list.add(4);
            list.set(0, -1);
            CompletableFuture<byte[]> gotBytes = root.callRemote("bytes", bytes);
            bytes[0] = 99;
            CompletableFuture<String> gotBox = root.callRemote("box", box);
            box.value = 8;
            box.names.clear();
            root.callRemoteOnly("note", oneWay);
            oneWay.clear();
            hold.countDown();

            assertThat(gotList.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
            assertThat(gotBytes.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4);
            assertThat(gotBox.get(10, TimeUnit.SECONDS)).isEqualTo("7 [seven]");
            assertThat(echo.noted.get(10, TimeUnit.SECONDS)).containsExactly(9);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
