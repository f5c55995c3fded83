package dev.jpb;

import static com.google.common.base.Preconditions.checkArgument;

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
 */
public final class Limits {
    private static final Limits DEFAULTS = builder().build();

    private final int maxFrameBytes;
    private final int maxDepth;
    private final int maxExportedObjects;
    private final int maxInFlightCalls;
    private final int maxViolations;

    private Limits(Builder b) {
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxDepth = b.maxDepth;
        this.maxExportedObjects = b.maxExportedObjects;
        this.maxInFlightCalls = b.maxInFlightCalls;
        this.maxViolations = b.maxViolations;
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

    @Override
    public String toString() {
        return "Limits{maxFrameBytes=" + maxFrameBytes + ", maxDepth=" + maxDepth
                + ", maxExportedObjects=" + maxExportedObjects
                + ", maxInFlightCalls=" + maxInFlightCalls + ", maxViolations=" + maxViolations
                + "}";
    }

    /** Builds {@link Limits}; not thread-safe. */
    public static final class Builder {
        private int maxFrameBytes = 16 * 1024 * 1024;
        private int maxDepth = 64;
        private int maxExportedObjects = 100_000;
        private int maxInFlightCalls = 1024;
        private int maxViolations = 16;

        private Builder() {
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

        /** {@return the immutable limits} */
        public Limits build() {
            return new Limits(this);
        }
    }
}
