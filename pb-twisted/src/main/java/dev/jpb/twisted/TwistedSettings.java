package dev.jpb.twisted;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.PbError;
import dev.jpb.internal.twisted.CopyRegistry;
import dev.jpb.internal.twisted.Endpoint;
import dev.jpb.internal.twisted.TwistedBroker;
import dev.jpb.internal.twisted.banana.BananaLimits;
import java.util.concurrent.Executor;

/** What both builders share: registrations, limits, the executor. Not thread-safe. */
final class TwistedSettings {
    private final CopyRegistry.Builder registry = new CopyRegistry.Builder();
    private int maxTokenBytes = BananaLimits.DEFAULT_MAX_TOKEN_BYTES;
    private int maxMessageBytes = BananaLimits.DEFAULT_MAX_MESSAGE_BYTES;
    private int maxDepth = BananaLimits.DEFAULT_MAX_DEPTH;
    private int maxExports = 1024;
    private int maxImports = TwistedBroker.DEFAULT_MAX_IMPORTS;
    private int maxInFlightCalls = 256;
    private Executor executor;

    void registerCopy(String pythonName, Class<?> type) {
        registry.copy(pythonName, type);
    }

    void registerError(String pythonName, Class<? extends PbError> type) {
        registry.error(pythonName, type);
    }

    void maxTokenBytes(int v) {
        checkArgument(v > 0, "maxTokenBytes: %s (expected: > 0)", v);
        maxTokenBytes = v;
    }

    void maxMessageBytes(int v) {
        checkArgument(v > 0, "maxMessageBytes: %s (expected: > 0)", v);
        maxMessageBytes = v;
    }

    void maxDepth(int v) {
        checkArgument(v > 0, "maxDepth: %s (expected: > 0)", v);
        maxDepth = v;
    }

    void maxExportedObjects(int v) {
        checkArgument(v > 0, "maxExportedObjects: %s (expected: > 0)", v);
        maxExports = v;
    }

    void maxImportedReferences(int v) {
        checkArgument(v > 0, "maxImportedReferences: %s (expected: > 0)", v);
        maxImports = v;
    }

    void maxInFlightCalls(int v) {
        checkArgument(v > 1, "maxInFlightCalls: %s (expected: > 1)", v);
        maxInFlightCalls = v;
    }

    void executor(Executor e) {
        executor = requireNonNull(e, "executor");
    }

    Endpoint.Settings build() {
        return new Endpoint.Settings(registry.build(), new BananaLimits(maxTokenBytes,
                BananaLimits.DEFAULT_MAX_PREFIX_DIGITS, maxDepth, maxMessageBytes), maxExports,
                maxImports, maxInFlightCalls, executor);
    }
}
