package dev.jpb.internal.twisted;

/**
 * The state of a {@code twisted.spread.pb.CopyableFailure}, as it crosses in an error.
 *
 * @param type      the exception's qualified Python type, e.g. {@code builtins.ValueError}
 * @param value     its message ({@code str(exception)})
 * @param traceback the printed traceback, or {@code null} when the peer sent none
 */
record CopiedFailure(String type, String value, String traceback) {
    /** Python's class name for CopyableFailure; the name its state travels under. */
    static final String PYTHON_NAME = "twisted.spread.pb.CopyableFailure";
    /** What Twisted sends instead of a traceback unless unsafeTracebacks is on. */
    static final String NO_TRACEBACK = "Traceback unavailable\n";
}
