package dev.jpb.router;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A procedure registered by {@link RouterClient}; {@link #close()} unregisters it. */
public final class Registration implements AutoCloseable {
    private final long id;
    private final String procedure;
    private final Supplier<CompletableFuture<Void>> unregister;

    Registration(long id, String procedure, Supplier<CompletableFuture<Void>> unregister) {
        this.id = id;
        this.procedure = procedure;
        this.unregister = unregister;
    }

    /** {@return the router's registration id (shared by the callees of a shared one)} */
    public long id() {
        return id;
    }

    /** {@return the procedure or pattern registered} */
    public String procedure() {
        return procedure;
    }

    /**
     * Unregisters; the future completes when the router confirmed.
     *
     * @return a future completed when the router confirmed the unregistration
     */
    public CompletableFuture<Void> unregister() {
        return unregister.get();
    }

    /** Unregisters without waiting for the router. */
    @Override
    public void close() {
        unregister();
    }
}
