package dev.jpb;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits one end enforces on each of its connections. Immutable and thread-safe; build one
 * with {@link #builder()} and hand it to the server's or client's builder.
 *
 * <p>Each violation is a typed error whose message names the limit: a call that would send a
 * frame over {@link #maxFrameBytes()} fails at once with {@link LimitExceededException}; a
 * received message nested deeper than {@link #maxDepth()} is answered with one; past
 * {@link #maxInFlightCalls()} calls still being served, the connection stops reading
 * (back-pressure) until some finish. After {@link #maxViolations()} violations by one peer the
 * connection is closed; other connections are untouched.
 *
 * <p>Some limits bound what a received message may cost beyond its bytes: the values it holds
 * ({@link #maxMessageValues()}), the hashing and comparing that building its sets and maps
 * takes ({@link #maxMessageWork()}), the references to the peer's objects a connection holds
 * ({@link #maxImportedReferences()}) and the type names a peer may define
 * ({@link #maxPeerTypes()}, {@link #maxTypeNameLength()}).
 */
public final class Limits {
    private static final Limits DEFAULTS = builder().build();

    private final int maxFrameBytes;
    private final int maxDepth;
    private final int maxExportedObjects;
    private final int maxInFlightCalls;
    private final int maxViolations;
    private final int maxMessageValues;
    private final long maxMessageWork;
    private final int maxImportedReferences;
    private final int maxPeerTypes;
    private final int maxTypeNameLength;
    private final long maxQueuedOutboundBytes;
    private final Duration maxOutboundStall;

    private Limits(Builder b) {
        this.maxQueuedOutboundBytes = b.maxQueuedOutboundBytes;
        this.maxOutboundStall = b.maxOutboundStall;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxDepth = b.maxDepth;
        this.maxExportedObjects = b.maxExportedObjects;
        this.maxInFlightCalls = b.maxInFlightCalls;
        this.maxViolations = b.maxViolations;
        this.maxMessageValues = b.maxMessageValues;
        this.maxMessageWork = b.maxMessageWork;
        this.maxImportedReferences = b.maxImportedReferences;
        this.maxPeerTypes = b.maxPeerTypes;
        this.maxTypeNameLength = b.maxTypeNameLength;
    }

    /** {@return the default limits} */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the largest frame sent or accepted, in bytes; default 16 MiB} */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** {@return the deepest nesting of objects a message may carry; default 64} */
    public int maxDepth() {
        return maxDepth;
    }

    /**
     * {@return how many distinct objects one connection may export at once; default 100,000}
     */
    public int maxExportedObjects() {
        return maxExportedObjects;
    }

    /**
     * {@return how many inbound calls one connection may have being served before reading
     * from it pauses; default 1,024}
     */
    public int maxInFlightCalls() {
        return maxInFlightCalls;
    }

    /**
     * {@return how many protocol violations one peer may commit before it is dropped;
     * default 16}
     */
    public int maxViolations() {
        return maxViolations;
    }

    /**
     * Returns how many values one received message may hold; default 1,048,576 (1 Mi). Every
     * value counts (each element, field, map key and map value, nulls and references to an
     * object already in the message included): a value costs the receiver an object even when
     * it costs the sender one byte. A message with more is refused with
     * {@link LimitExceededException}, as is a collection that declares more elements than the
     * values left.
     *
     * @return values per message
     */
    public int maxMessageValues() {
        return maxMessageValues;
    }

    /**
     * Returns how much hashing and comparing building the sets and maps of one received
     * message may cost; default 16,777,216 (16 Mi). Each set element and map key costs the
     * size of its value graph with every value counted as often as it can be reached (an
     * object referenced twice counts twice, so shared references cannot make hashing
     * exponential), and elements whose hash codes are equal cost what comparing them with one
     * another may take. The cost is counted before anything is hashed; a message over the
     * budget is refused with {@link LimitExceededException}. A message whose hashed values
     * share nothing and do not collide costs about one unit per value.
     *
     * @return the hashing budget per message
     */
    public long maxMessageWork() {
        return maxMessageWork;
    }

    /**
     * Returns how many of the peer's objects one connection may hold references to at once;
     * default 100,000. A received message that would import one more is refused with
     * {@link LimitExceededException}; released (or collected) references make room again.
     *
     * @return live imported references per connection
     */
    public int maxImportedReferences() {
        return maxImportedReferences;
    }

    /**
     * Returns how many type names the peer may define on one connection; default 4,096. A peer
     * defining more is disconnected.
     *
     * @return type names per connection
     */
    public int maxPeerTypes() {
        return maxPeerTypes;
    }

    /**
     * Returns the longest type name, in chars, the peer may define; default 1,024. A peer
     * defining a longer one is disconnected.
     *
     * @return the longest type name, in chars
     */
    public int maxTypeNameLength() {
        return maxTypeNameLength;
    }

    /**
     * Returns how many bytes may wait to be written to one peer before new calls to it fail
     * at once with {@link LimitExceededException} (Netty's high write-buffer watermark; calls
     * are accepted again once half has drained); default 64 MiB. Answers, errors and releases
     * are still sent: only calls are refused.
     *
     * @return the limit in bytes
     */
    public long maxQueuedOutboundBytes() {
        return maxQueuedOutboundBytes;
    }

    /**
     * Returns how long a peer may stay over {@link #maxQueuedOutboundBytes()} (not reading
     * what it is sent) before the connection is closed with a logged reason; default 30 s.
     *
     * @return the grace period
     */
    public Duration maxOutboundStall() {
        return maxOutboundStall;
    }

    @Override
    public String toString() {
        return "Limits{maxFrameBytes=" + maxFrameBytes + ", maxDepth=" + maxDepth
                + ", maxExportedObjects=" + maxExportedObjects
                + ", maxInFlightCalls=" + maxInFlightCalls + ", maxViolations=" + maxViolations
                + ", maxMessageValues=" + maxMessageValues + ", maxMessageWork=" + maxMessageWork
                + ", maxImportedReferences=" + maxImportedReferences
                + ", maxPeerTypes=" + maxPeerTypes + ", maxTypeNameLength=" + maxTypeNameLength
                + ", maxQueuedOutboundBytes=" + maxQueuedOutboundBytes
                + ", maxOutboundStall=" + maxOutboundStall + "}";
    }

    /** Builds {@link Limits}; not thread-safe. */
    public static final class Builder {
        private int maxFrameBytes = 16 * 1024 * 1024;
        private int maxDepth = 64;
        private int maxExportedObjects = 100_000;
        private int maxInFlightCalls = 1024;
        private int maxViolations = 16;
        private int maxMessageValues = 1 << 20;
        private long maxMessageWork = 1 << 24;
        private int maxImportedReferences = 100_000;
        private int maxPeerTypes = 4096;
        private int maxTypeNameLength = 1024;
        private long maxQueuedOutboundBytes = 64L * 1024 * 1024;
        private Duration maxOutboundStall = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Sets how many bytes may wait to be written to one peer before calls to it are
         * refused (see {@link Limits#maxQueuedOutboundBytes()}).
         *
         * @param maxQueuedOutboundBytes the limit in bytes
         * @return this builder
         * @throws IllegalArgumentException unless at least 64 KiB
         */
        public Builder maxQueuedOutboundBytes(long maxQueuedOutboundBytes) {
            checkArgument(maxQueuedOutboundBytes >= 64 * 1024,
                    "maxQueuedOutboundBytes: %s (expected: >= 65536)", maxQueuedOutboundBytes);
            this.maxQueuedOutboundBytes = maxQueuedOutboundBytes;
            return this;
        }

        /**
         * Sets how long a peer may stay over {@link Limits#maxQueuedOutboundBytes()} before
         * it is disconnected.
         *
         * @param maxOutboundStall a positive duration
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder maxOutboundStall(Duration maxOutboundStall) {
            requireNonNull(maxOutboundStall, "maxOutboundStall");
            checkArgument(!maxOutboundStall.isNegative() && !maxOutboundStall.isZero(),
                    "maxOutboundStall: %s (expected: > 0)", maxOutboundStall);
            this.maxOutboundStall = maxOutboundStall;
            return this;
        }

        /**
         * Sets the largest frame, in bytes.
         *
         * @param maxFrameBytes the limit in bytes
         * @return this builder
         * @throws IllegalArgumentException unless at least 1 KiB
         */
        public Builder maxFrameBytes(int maxFrameBytes) {
            checkArgument(maxFrameBytes >= 1024,
                    "maxFrameBytes: %s (expected: >= 1024)", maxFrameBytes);
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /**
         * Sets the deepest nesting a message may carry.
         *
         * @param maxDepth the limit
         * @return this builder
         * @throws IllegalArgumentException unless in [4, 10000]
         */
        public Builder maxDepth(int maxDepth) {
            checkArgument(maxDepth >= 4 && maxDepth <= 10_000,
                    "maxDepth: %s (expected: 4..10000)", maxDepth);
            this.maxDepth = maxDepth;
            return this;
        }

        /**
         * Sets how many objects one connection may export at once.
         *
         * @param maxExportedObjects the limit
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxExportedObjects(int maxExportedObjects) {
            checkArgument(maxExportedObjects > 0,
                    "maxExportedObjects: %s (expected: > 0)", maxExportedObjects);
            this.maxExportedObjects = maxExportedObjects;
            return this;
        }

        /**
         * Sets how many inbound calls one connection may have in flight before reading pauses.
         *
         * @param maxInFlightCalls the limit
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxInFlightCalls(int maxInFlightCalls) {
            checkArgument(maxInFlightCalls > 0,
                    "maxInFlightCalls: %s (expected: > 0)", maxInFlightCalls);
            this.maxInFlightCalls = maxInFlightCalls;
            return this;
        }

        /**
         * Sets how many violations one peer may commit before its connection is closed.
         *
         * @param maxViolations the limit
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxViolations(int maxViolations) {
            checkArgument(maxViolations > 0, "maxViolations: %s (expected: > 0)", maxViolations);
            this.maxViolations = maxViolations;
            return this;
        }

        /**
         * Sets how many values one received message may hold.
         *
         * @param maxMessageValues values per message
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxMessageValues(int maxMessageValues) {
            checkArgument(maxMessageValues > 0,
                    "maxMessageValues: %s (expected: > 0)", maxMessageValues);
            this.maxMessageValues = maxMessageValues;
            return this;
        }

        /**
         * Sets how much hashing and comparing one received message's sets and maps may cost.
         *
         * @param maxMessageWork the hashing budget per message
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxMessageWork(long maxMessageWork) {
            checkArgument(maxMessageWork > 0,
                    "maxMessageWork: %s (expected: > 0)", maxMessageWork);
            this.maxMessageWork = maxMessageWork;
            return this;
        }

        /**
         * Sets how many of the peer's objects one connection may hold references to at once.
         *
         * @param maxImportedReferences live imported references per connection
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxImportedReferences(int maxImportedReferences) {
            checkArgument(maxImportedReferences > 0,
                    "maxImportedReferences: %s (expected: > 0)", maxImportedReferences);
            this.maxImportedReferences = maxImportedReferences;
            return this;
        }

        /**
         * Sets how many type names the peer may define on one connection.
         *
         * @param maxPeerTypes type names per connection
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxPeerTypes(int maxPeerTypes) {
            checkArgument(maxPeerTypes > 0, "maxPeerTypes: %s (expected: > 0)", maxPeerTypes);
            this.maxPeerTypes = maxPeerTypes;
            return this;
        }

        /**
         * Sets the longest type name, in chars, the peer may define.
         *
         * @param maxTypeNameLength the longest type name, in chars
         * @return this builder
         * @throws IllegalArgumentException unless in [16, 65535] (the JVM's own bound)
         */
        public Builder maxTypeNameLength(int maxTypeNameLength) {
            checkArgument(maxTypeNameLength >= 16 && maxTypeNameLength <= 65_535,
                    "maxTypeNameLength: %s (expected: 16..65535)", maxTypeNameLength);
            this.maxTypeNameLength = maxTypeNameLength;
            return this;
        }

        /** {@return the immutable limits} */
        public Limits build() {
            return new Limits(this);
        }
    }
}
