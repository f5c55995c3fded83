package dev.jpb.router;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A router node in a process of its own, for {@link ClusterFailureTest} to kill: joins the
 * cluster, connects a jpb callee of {@code fail.echo} and {@code fail.hang} (which never
 * answers), prints {@code READY} and, for each hanging invocation, {@code INVOKED}.
 */
final class ClusterNodeMain {
    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Router router = Router.builder().nats(args[0]).clusterName(args[1])
                .heartbeat(Duration.ofMillis(200)).nodeTimeout(Duration.ofSeconds(2)).build();
        RouterEndpoint ep = RouterEndpoint.builder(router).bind("127.0.0.1", 0).build().start();
        RouterClient callee = RouterClient.connect("127.0.0.1", ep.pbPort(), "realm1").join();
        callee.register("fail.echo", inv -> inv.arg(0)).join();
        callee.register("fail.hang", inv -> {
            System.out.println("INVOKED");
            System.out.flush();
            return new CompletableFuture<>();
        }).join();
        System.out.println("READY " + callee.sessionId());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills this process
    }
}
