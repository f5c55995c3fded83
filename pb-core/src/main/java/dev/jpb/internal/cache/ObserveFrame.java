package dev.jpb.internal.cache;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.PbException;
import dev.jpb.internal.codec.TypeUse;
import dev.jpb.internal.wire.FrameCodec;
import java.util.Arrays;

/** OBSERVE (docs/protocol.md §4.8): one update to one copy, one-way. */
final class ObserveFrame implements CacheFrame {
    private final CacheExport export;
    private final String method;
    private final Object[] args;
    private final SharedUpdate shared; // null: this observer's own update

    ObserveFrame(CacheExport export, String method, Object[] args, SharedUpdate shared) {
        this.export = export;
        this.method = method;
        this.args = args;
        this.shared = shared;
    }

    @Override
    public void encode(Output out) {
        if (!export.isObserving() || !export.isSent()) {
            throw new Dropped();
        }
        try {
            FrameCodec.writeObserve(out, export.id(), method, args.length);
        } catch (RuntimeException e) {
            throw new PbException("update observe_" + method + " is too large: " + e, e);
        }
        CacheLink link = export.session().link();
        if (shared == null) {
            link.write(out, args);
        } else {
            writeShared(link, out);
        }
        link.metrics().cacheUpdateSent();
    }

    /** Writes the bytes another connection encoded, if they read the same here; else encodes. */
    private void writeShared(CacheLink link, Output out) {
        SharedUpdate.Encoding e = shared.encoding();
        if (e != null && e.codec() == link.codec() && link.hasOutboundIds(e.types())) {
            out.writeBytes(e.bytes());
            return;
        }
        int start = out.position();
        TypeUse use;
        link.startRecording();
        try {
            link.write(out, args);
        } finally {
            use = link.stopRecording();
        }
        if (e == null && use != null) {
            shared.encoded(new SharedUpdate.Encoding(
                    Arrays.copyOfRange(out.getBuffer(), start, out.position()), link.codec(),
                    use));
        }
    }

    @Override
    public void refused(PbException why) {
        if (why instanceof Dropped) {
            CacheSession.log.debug("{}: update observe_{} dropped: the copy is gone", export,
                    method);
        } else {
            CacheSession.log.warn("{}: update observe_{} not sent: {}", export, method,
                    why.getMessage());
        }
    }

    @Override
    public String toString() {
        return "OBSERVE[" + method + " to " + export + "]";
    }

    /** The copy went away between the update and its turn to be written. */
    private static final class Dropped extends PbException {
        private static final long serialVersionUID = 1L;

        Dropped() {
            super("the copy is gone");
        }
    }
}
