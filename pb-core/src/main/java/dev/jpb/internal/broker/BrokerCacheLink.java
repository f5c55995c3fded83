package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.Referenceable;
import dev.jpb.internal.cache.CacheFactories;
import dev.jpb.internal.cache.CacheFrame;
import dev.jpb.internal.cache.CacheLink;
import dev.jpb.internal.cache.DrainBatch;
import dev.jpb.internal.cache.Receipts;
import dev.jpb.internal.codec.TypeUse;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.metrics.ConnectionMetrics;
import io.netty.buffer.ByteBuf;

/** A broker as its {@link dev.jpb.internal.cache.CacheSession} sees it. */
final class BrokerCacheLink implements CacheLink {
    private final Broker broker;

    BrokerCacheLink(Broker broker) {
        this.broker = broker;
    }

    @Override
    public Connection connection() {
        return broker.connection();
    }

    @Override
    public Avatar avatar() {
        return broker.login.avatar();
    }

    @Override
    public String avatarId() {
        return broker.login.avatarId();
    }

    @Override
    public ConnectionMetrics metrics() {
        return broker.metrics;
    }

    @Override
    public boolean isOpen() {
        return broker.isOpen();
    }

    @Override
    public boolean inEventLoop() {
        return broker.channel.eventLoop().inEventLoop();
    }

    @Override
    public CacheFactories factories() {
        return broker.config.caches();
    }

    @Override
    public int maxCopies() {
        return broker.config.limits().maxImportedReferences();
    }

    @Override
    public long export(Referenceable object) {
        return broker.exports.export(object);
    }

    @Override
    public void unexport(long id) {
        broker.exports.release(id, 1);
    }

    @Override
    public void enqueue(CacheFrame frame) {
        broker.outbox.enqueue(frame);
    }

    @Override
    public void enqueue(CacheFrame frame, DrainBatch drains) {
        broker.outbox.enqueue(frame, drains);
    }

    @Override
    public void giveBack(Receipts receipts) {
        broker.outbox.enqueue(new Outbound.GiveBack(receipts));
    }

    @Override
    public void pin() {
        broker.exports.pin();
    }

    @Override
    public void unpin() {
        broker.exports.unpin();
    }

    @Override
    public Object[] decode(ByteBuf body, int count) {
        return broker.decodeValues(body, count);
    }

    @Override
    public Object[] decodeDetached(ByteBuf body, int count) {
        byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        Input in = ValueCodec.newInput();
        in.setBuffer(bytes, 0, bytes.length);
        return broker.config.codec().readDetached(in, count, broker.session);
    }

    @Override
    public void write(Output out, Object[] values) {
        broker.config.codec().write(out, values, broker.session);
    }

    @Override
    public Object codec() {
        return broker.config.codec();
    }

    @Override
    public void startRecording() {
        broker.session.startRecording();
    }

    @Override
    public TypeUse stopRecording() {
        return broker.session.stopRecording();
    }

    @Override
    public boolean hasOutboundIds(TypeUse use) {
        return broker.session.types().hasOutboundIds(use);
    }

    @Override
    public void violation(String reason) {
        broker.violation(reason);
    }

    @Override
    public void runUserCode(Runnable task, String what) {
        broker.runUserCode(task, what);
    }

    @Override
    public int maxFrameBytes() {
        return broker.config.limits().maxFrameBytes();
    }

    @Override
    public void pauseReads(boolean pause) {
        assert inEventLoop();
        if (pause) {
            broker.channel.config().setAutoRead(false);
        } else if (!broker.gate.readsStopped() && broker.channel.isActive()) {
            broker.channel.config().setAutoRead(true); // unless held calls stopped them too
        }
    }

    @Override
    public boolean inboundIdle() {
        assert inEventLoop();
        return !broker.gate.isHolding() && broker.calls.isIdle();
    }

    @Override
    public void runInOrder(Runnable task) {
        broker.gate.arriveInOrder(task);
    }

    @Override
    public void onEventLoop(Runnable task) {
        try {
            broker.channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Broker.log.debug("{}: event loop stopped; {} dropped", broker, task);
        }
    }

    @Override
    public Object enterCall() {
        return CurrentCall.enter(broker.connection());
    }

    @Override
    public void exitCall(Object previous) {
        CurrentCall.exit((Connection) previous);
    }
}
