package dev.jpb.internal.logging;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import org.slf4j.MDC;

/**
 * What every log line about one connection carries in the SLF4J MDC: {@value #CONNECTION}, the
 * connection's id (as {@code Connection.id()}, once the handshake made the broker), and
 * {@value #REMOTE}, the peer's address. Set around the work done for that connection on its
 * event loop ({@link LogContextHandler}, the outbox's drain) and on the executor (its serial
 * executors, listeners), and restored to what it was afterwards. Thread-safe.
 */
public final class LogContext {
    /** The MDC key of the connection id. */
    public static final String CONNECTION = "jpb.connection";
    /** The MDC key of the peer's address. */
    public static final String REMOTE = "jpb.remote";

    private static final AttributeKey<LogContext> KEY = AttributeKey.valueOf("jpb.log");

    private final Channel channel;
    private volatile String connection; // set once, by the broker's constructor
    private volatile String remote; // computed on first use once the channel has a peer

    private LogContext(Channel channel) {
        this.channel = channel;
    }

    /** Returns the context of {@code channel}, made on first use. */
    public static LogContext of(Channel channel) {
        LogContext c = channel.attr(KEY).get();
        if (c == null) {
            LogContext made = new LogContext(channel);
            c = channel.attr(KEY).setIfAbsent(made);
            if (c == null) {
                c = made;
            }
        }
        return c;
    }

    /** Names {@code channel}'s connection {@code id} in its log lines from now on; on the loop. */
    public static void connection(Channel channel, long id) {
        String name = Long.toString(id);
        of(channel).connection = name;
        if (channel.eventLoop().inEventLoop()) {
            // Named in the middle of the channel's work (the handshake, under the handler),
            // which restores the MDC when that work ends: the rest of it carries the id too.
            MDC.put(CONNECTION, name);
        }
    }

    /** Returns {@code task} running with {@code channel}'s context in the MDC. */
    public static Runnable wrap(Channel channel, Runnable task) {
        LogContext c = of(channel);
        return () -> c.run(task);
    }

    /** Runs {@code task} with this context in the MDC, then restores the MDC. */
    public void run(Runnable task) {
        String outerConnection = MDC.get(CONNECTION);
        String outerRemote = MDC.get(REMOTE);
        enter();
        try {
            task.run();
        } finally {
            restore(outerConnection, outerRemote);
        }
    }

    /** Puts this context in the MDC (the caller restores it, see {@link #restore}). */
    void enter() {
        String id = connection;
        if (id != null) {
            MDC.put(CONNECTION, id);
        } else {
            MDC.remove(CONNECTION);
        }
        String peer = remote();
        if (peer != null) {
            MDC.put(REMOTE, peer);
        } else {
            MDC.remove(REMOTE);
        }
    }

    /** Puts back what the MDC held before {@link #enter}. */
    static void restore(String outerConnection, String outerRemote) {
        if (outerConnection == null) {
            MDC.remove(CONNECTION);
        } else {
            MDC.put(CONNECTION, outerConnection);
        }
        if (outerRemote == null) {
            MDC.remove(REMOTE);
        } else {
            MDC.put(REMOTE, outerRemote);
        }
    }

    private String remote() {
        String r = remote;
        if (r == null) {
            SocketAddress a = channel.remoteAddress();
            if (a != null) {
                r = a.toString();
                remote = r;
            }
        }
        return r;
    }
}
