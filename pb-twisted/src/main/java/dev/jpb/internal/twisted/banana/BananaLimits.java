package dev.jpb.internal.twisted.banana;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The bounds a Banana decoder enforces, all checked before anything is allocated.
 *
 * @param maxTokenBytes    the largest string (in bytes) and the longest list (in elements) one
 *                         token may declare; Twisted's {@code SIZE_LIMIT}, 640 KiB
 * @param maxPrefixDigits  the most base-128 digits before a type byte; Twisted's 64
 * @param maxDepth         the deepest nesting of lists in one expression
 * @param maxMessageBytes  the most wire bytes one top-level expression may take
 */
public record BananaLimits(int maxTokenBytes, int maxPrefixDigits, int maxDepth,
        int maxMessageBytes) {
    /** Twisted's own SIZE_LIMIT: 640 KiB. */
    public static final int DEFAULT_MAX_TOKEN_BYTES = 640 * 1024;
    /** Twisted's own prefix limit: 64 digits. */
    public static final int DEFAULT_MAX_PREFIX_DIGITS = 64;
    /** Deep enough for any value a PB program sends, shallow enough to bound recursion. */
    public static final int DEFAULT_MAX_DEPTH = 128;
    /** 16 MiB, the same bound as jpb's own frames. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** The defaults: Twisted 22.4's limits plus depth and message bounds. */
    public static final BananaLimits DEFAULTS = new BananaLimits(DEFAULT_MAX_TOKEN_BYTES,
            DEFAULT_MAX_PREFIX_DIGITS, DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGE_BYTES);

    /** Validates the limits. */
    public BananaLimits {
        checkArgument(maxTokenBytes > 0, "maxTokenBytes: %s (expected: > 0)", maxTokenBytes);
        checkArgument(maxPrefixDigits > 0 && maxPrefixDigits <= 1024,
                "maxPrefixDigits: %s (expected: 1..1024)", maxPrefixDigits);
        checkArgument(maxDepth > 0, "maxDepth: %s (expected: > 0)", maxDepth);
        checkArgument(maxMessageBytes > 0, "maxMessageBytes: %s (expected: > 0)",
                maxMessageBytes);
    }
}
