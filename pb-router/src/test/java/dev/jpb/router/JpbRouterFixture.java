package dev.jpb.router;

import dev.jpb.server.PbServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A router served over jpb on 127.0.0.1:0, and clients joined to realm1. */
final class JpbRouterFixture implements AutoCloseable {
    final Router router;
    final PbServer server;
    private final List<RouterClient> clients = new ArrayList<>();

    JpbRouterFixture() {
        this(Router.builder().build());
    }

    JpbRouterFixture(Router router) {
        this.router = router;
        this.server = PbServer.builder().root(router.pbRoot()).bind("127.0.0.1", 0)
                .register(Router.wireTypes()).build().start();
    }

    RouterClient client() {
        RouterClient c = RouterClient.connect("127.0.0.1", server.port(), "realm1")
                .orTimeout(10, TimeUnit.SECONDS).join();
        clients.add(c);
        return c;
    }

    static <T> T next(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("nothing arrived within 10 s");
        }
        return t;
    }

    static <T> BlockingQueue<T> queue() {
        return new LinkedBlockingQueue<>();
    }

    @Override
    public void close() {
        for (RouterClient c : clients) {
            c.close();
        }
        server.close();
        router.close();
    }
}
