package dev.jpb.examples.router;

import com.sun.management.OperatingSystemMXBean;
import dev.jpb.router.Event;
import dev.jpb.router.PublishOptions;
import dev.jpb.router.RouterClient;
import dev.jpb.router.Subscription;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A monitoring agent: a jpb client of the router that publishes this machine's CPU, memory
 * and disk figures to {@code clientstats} every second (by default) and applies the
 * configuration published to {@code clientconfig.<ip>} — for example by the dashboard through
 * the HTTP bridge: {@code {"topic": "clientconfig.127.0.0.1", "args": [{"interval": 5}]}}.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.router.StatsAgent \
 *     -Dexec.args="127.0.0.1 8081"
 * </pre>
 */
public final class StatsAgent implements AutoCloseable {
    private final RouterClient client;
    private final String ip;
    private final String name;
    private final ScheduledExecutorService clock;
    private final Subscription config;
    private ScheduledFuture<?> task; // guarded by this
    private volatile Duration interval = Duration.ofSeconds(1);

    private StatsAgent(RouterClient client, String ip, String name) {
        this.client = client;
        this.ip = ip;
        this.name = name;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats-agent");
            t.setDaemon(true);
            return t;
        });
        this.config = client.subscribe("clientconfig." + ip, this::configure).join();
        schedule();
    }

    /**
     * Connects to a router's jpb port and starts publishing.
     *
     * @param host   the router's host
     * @param pbPort its jpb port
     * @param name   a name shown on the dashboard
     * @return the running agent
     */
    public static StatsAgent start(String host, int pbPort, String name) {
        RouterClient client = RouterClient.connect(host, pbPort, "realm1").join();
        // the router tells us our address as it sees it: "/127.0.0.1:53211"
        Map<?, ?> details = (Map<?, ?>) client.call("wamp.session.get", client.sessionId())
                .join().single();
        String peer = String.valueOf(((Map<?, ?>) details.get("transport")).get("peer"));
        String ip = peer.substring(peer.indexOf('/') + 1, peer.lastIndexOf(':'));
        return new StatsAgent(client, ip, name);
    }

    /** Returns the IP address this agent reports as (its end of the connection). */
    public String ip() {
        return ip;
    }

    /** Returns the current publishing interval. */
    public Duration interval() {
        return interval;
    }

    private synchronized void schedule() {
        if (task != null) {
            task.cancel(false);
        }
        long ms = interval.toMillis();
        task = clock.scheduleAtFixedRate(this::publish, 0, ms, TimeUnit.MILLISECONDS);
    }

    private void configure(Event e) {
        if (!e.args().isEmpty() && e.arg(0) instanceof Map<?, ?> m
                && m.get("interval") instanceof Number n) {
            double seconds = n.doubleValue();
            if (seconds >= 0.1 && seconds <= 3600) {
                interval = Duration.ofMillis((long) (seconds * 1000));
                schedule();
            }
        }
    }

    /** Returns this machine's figures now, as published. */
    public Map<String, Object> stats() {
        OperatingSystemMXBean os = ManagementFactory
                .getPlatformMXBean(OperatingSystemMXBean.class);
        File root = new File("/");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("ip", ip);
        s.put("name", name);
        s.put("cpu", Math.max(0, Math.round(os.getCpuLoad() * 1000) / 10.0));
        long total = os.getTotalMemorySize();
        s.put("memory", total == 0 ? 0
                : Math.round((total - os.getFreeMemorySize()) * 1000.0 / total) / 10.0);
        long disk = root.getTotalSpace();
        s.put("disk", disk == 0 ? 0
                : Math.round((disk - root.getUsableSpace()) * 1000.0 / disk) / 10.0);
        s.put("interval", interval.toMillis() / 1000.0);
        s.put("time", System.currentTimeMillis());
        return s;
    }

    private void publish() {
        client.publish("clientstats", List.of(stats()), Map.of(),
                PublishOptions.defaults().acknowledge(false));
    }

    /** Stops publishing and leaves the router. */
    @Override
    public void close() {
        clock.shutdownNow();
        config.close();
        client.close();
    }

    /** Runs until stopped: {@code args} are the router host and its jpb port. */
    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8081;
        StatsAgent agent = start(host, port, args.length > 2 ? args[2] : "agent");
        System.out.println("publishing to clientstats as " + agent.ip()
                + "; configure with POST /publish {\"topic\": \"clientconfig." + agent.ip()
                + "\", \"args\": [{\"interval\": 5}]}");
        Thread.currentThread().join();
    }
}
