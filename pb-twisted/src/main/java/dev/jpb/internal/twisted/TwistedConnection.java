package dev.jpb.internal.twisted;

import dev.jpb.Connection;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** The user-facing {@link Connection} of a Twisted PB link: a thin facade over its broker. */
final class TwistedConnection implements Connection {
    private final TwistedBroker broker;

    TwistedConnection(TwistedBroker broker) {
        this.broker = broker;
    }

    @Override
    public long id() {
        return broker.id();
    }

    @Override
    public SocketAddress remoteAddress() {
        return broker.channel() == null ? null : broker.channel().remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return broker.isOpen();
    }

    @Override
    public int exportedObjectCount() {
        return broker.exportedCount();
    }

    @Override
    public int importedReferenceCount() {
        return broker.importedCount();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return broker.closeFuture();
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "TwistedConnection[" + id() + " " + remoteAddress() + "]";
    }
}
