package dev.jpb.internal.cache;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.PbException;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;

/**
 * CACHE (docs/protocol.md §4.7): a new copy's id, type and state, written before the first
 * frame that sends the cacheable. The frame counts one send of the export entry.
 */
final class StateFrame implements CacheFrame {
    private final CacheExport export;

    StateFrame(CacheExport export) {
        this.export = export;
    }

    @Override
    public void encode(Output out) {
        CacheLink link = export.session().link();
        long id = link.export(export);
        try {
            FrameCodec.write(out, new Frame.Cache(id,
                    export.cacheable().getClass().getName()));
            link.write(out, new Object[] {export.state});
        } catch (RuntimeException e) {
            link.unexport(id); // not sent: the entry (unsent) leaves quietly, a retry gets a new id
            throw e;
        }
        export.markSent(id);
    }

    @Override
    public void refused(PbException why) {
        CacheSession.log.warn("{}: the state of {} cannot be sent: {}", export.session().link()
                .connection(), export.cacheable().getClass().getName(), why.getMessage());
        export.failure = new PbException("the state of " + export.cacheable().getClass()
                .getName() + " cannot be sent: " + why.getMessage(), why);
        export.session().failed(export);
    }

    @Override
    public String toString() {
        return "CACHE[" + export + "]";
    }
}
