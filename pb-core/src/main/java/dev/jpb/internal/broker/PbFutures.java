package dev.jpb.internal.broker;

/** Small helpers for {@link PbFuture}s. */
final class PbFutures {
    private PbFutures() {
    }

    static <T> PbFuture<T> failed(Throwable t) {
        PbFuture<T> f = new PbFuture<>();
        f.completeExceptionally(t);
        return f;
    }
}
