package dev.jpb.twisted;

import dev.jpb.PbError;
import java.util.concurrent.Executor;

/**
 * The settings {@link TwistedPbClient.Builder} and {@link TwistedPbServer.Builder} share:
 * copy and error registrations, the Banana and table limits, the executor. Each public setter
 * records into one {@link TwistedSettings} and returns the concrete builder. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
abstract class TwistedBuilder<B extends TwistedBuilder<B>> {
    final TwistedSettings settings = new TwistedSettings();

    TwistedBuilder() {
    }

    /** {@return this builder as its concrete type} */
    abstract B self();

    /**
     * Maps a Python {@code pb.Copyable} class to a Java record or class (fields by name):
     * a copy of {@code pythonName} arrives as a {@code type}, a {@code type} is sent as a
     * copy named {@code pythonName} (the Python side registers a {@code RemoteCopy} for
     * it with {@code pb.setUnjellyableForClass}). Copies of unregistered classes are
     * refused with {@link dev.jpb.ForbiddenTypeException}.
     *
     * @param pythonName the fully qualified Python name, e.g. {@code shared.Point}
     * @param type       a record, or a class with a no-argument constructor
     * @return this builder
     */
    public B registerCopy(String pythonName, Class<?> type) {
        settings.registerCopy(pythonName, type);
        return self();
    }

    /**
     * Maps a Python exception type (e.g. a {@code pb.Error} subclass {@code chat.NameTaken})
     * to a {@link PbError} subclass with a public {@code (String)} constructor: a remote
     * failure of that type completes the call's future with that subclass instead of a
     * {@link dev.jpb.RemoteCallException}, and a {@code type} thrown here reaches Python
     * under {@code pythonName}.
     *
     * @param pythonName the fully qualified Python name, e.g. {@code chat.NameTaken}
     * @param type       the Java exception type
     * @return this builder
     */
    public B registerError(String pythonName, Class<? extends PbError> type) {
        settings.registerError(pythonName, type);
        return self();
    }

    /**
     * Sets the largest string or list one Banana token may declare (default 640 KiB).
     *
     * @param bytes the bound, &gt; 0
     * @return this builder
     */
    public B maxTokenBytes(int bytes) {
        settings.maxTokenBytes(bytes);
        return self();
    }

    /**
     * Sets the most bytes one inbound message may take (default 16 MiB).
     *
     * @param bytes the bound, &gt; 0
     * @return this builder
     */
    public B maxMessageBytes(int bytes) {
        settings.maxMessageBytes(bytes);
        return self();
    }

    /**
     * Sets the deepest list nesting accepted in one message (default 128).
     *
     * @param depth the bound, &gt; 0
     * @return this builder
     */
    public B maxDepth(int depth) {
        settings.maxDepth(depth);
        return self();
    }

    /**
     * Sets the most objects exported to the peer at once, per connection (default 1024, as
     * PB's).
     *
     * @param count the bound, &gt; 0
     * @return this builder
     */
    public B maxExportedObjects(int count) {
        settings.maxExportedObjects(count);
        return self();
    }

    /**
     * Sets how many references to the peer's objects one connection may hold at once
     * (default 100,000, as jpb's own {@code Limits.maxImportedReferences}). A message that
     * would import one more is refused with {@link dev.jpb.LimitExceededException} (a call
     * gets it as its error, an answer fails the call's future) and the peer is sent a
     * {@code decref} for it; released or collected references make room again.
     *
     * @param count the bound, &gt; 0
     * @return this builder
     */
    public B maxImportedReferences(int count) {
        settings.maxImportedReferences(count);
        return self();
    }

    /**
     * Sets how many calls from the peer may be queued or running on one connection
     * before jpb stops reading from its socket (back-pressure; default 256); reading
     * resumes when half of them are done.
     *
     * @param calls the bound, &gt; 1
     * @return this builder
     */
    public B maxInFlightCalls(int calls) {
        settings.maxInFlightCalls(calls);
        return self();
    }

    /**
     * Runs {@code remote_} methods and future completions on {@code executor}, which jpb
     * does not own (never shuts down). Default: a cached pool owned by the client or server.
     *
     * @param executor the executor; not owned
     * @return this builder
     */
    public B executor(Executor executor) {
        settings.executor(executor);
        return self();
    }
}
