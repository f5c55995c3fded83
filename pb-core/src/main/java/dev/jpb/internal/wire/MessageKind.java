package dev.jpb.internal.wire;

/** The first byte of every frame's body: which message follows. */
public final class MessageKind {
    /** Call a method: request id, target id, method name, argument count, arguments. */
    public static final int CALL = 1;
    /** A call's result: request id, value. */
    public static final int ANSWER = 2;
    /** A call's failure: request id, type, message, trace, optional error object. */
    public static final int ERROR = 3;
    /** Give back references: count, then (object id, count) pairs. */
    public static final int DECREF = 4;
    /** Define type names: first id, count, names. */
    public static final int TYPES = 5;
    /** Ask for the root object: request id. Answered like a call. */
    public static final int ROOT = 6;
    /** A new copy of a cacheable: object id, type name, state. */
    public static final int CACHE = 12;
    /** An update to a copy, one-way: object id, method name, argument count, arguments. */
    public static final int OBSERVE = 13;

    private MessageKind() {
    }
}
