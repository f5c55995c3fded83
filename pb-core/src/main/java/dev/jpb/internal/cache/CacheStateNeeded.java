package dev.jpb.internal.cache;

import dev.jpb.PbException;
import java.util.function.Consumer;

/**
 * Thrown while encoding when a cacheable is new to the connection: its {@code stateFor} must
 * run (on the executor, not the event loop) before the message can be written. The outbox
 * holds that message, and everything queued behind it, until {@link #resolve} hands it the
 * CACHE frame to write first. Not an error the application sees.
 */
public final class CacheStateNeeded extends PbException {
    private static final long serialVersionUID = 1L;
    private final transient CacheExport export;

    CacheStateNeeded(CacheExport export) {
        super("state needed for " + export);
        this.export = export;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // control flow, not a failure: no trace worth its cost
    }

    /**
     * Runs {@code stateFor} off the event loop, then passes {@code then} the frame that carries
     * the state (null if {@code stateFor} failed: retrying the message then fails it).
     */
    public void resolve(Consumer<CacheFrame> then) {
        export.session().computeState(export, then);
    }
}
