package dev.jpb.internal.broker;

import dev.jpb.Connection;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The {@link Connection} the application sees: a thin facade over one broker. */
final class DefaultConnection implements Connection {
    private final Broker broker;

    DefaultConnection(Broker broker) {
        this.broker = broker;
    }

    @Override
    public long id() {
        return broker.id();
    }

    @Override
    public SocketAddress remoteAddress() {
        return broker.channel.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return broker.isOpen();
    }

    @Override
    public int exportedObjectCount() {
        return broker.exports.size();
    }

    @Override
    public int importedReferenceCount() {
        return broker.imports.size();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return broker.closeFuture();
    }

    @Override
    public boolean isWritable() {
        return broker.outboundLimit.isWritable();
    }

    @Override
    public long queuedOutboundBytes() {
        return broker.outboundLimit.queuedBytes();
    }

    @Override
    public void onWritabilityChanged(Consumer<Boolean> listener) {
        broker.outboundLimit.addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return broker.toString();
    }
}
