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
    /** Start a login: request id, mechanism, client-first message (docs/protocol.md §13.2). */
    public static final int LOGIN = 7;
    /** The server's SCRAM challenge: request id, server-first message. */
    public static final int LOGIN_CHALLENGE = 8;
    /** The client's SCRAM proof: request id, client-final message, the mind. */
    public static final int LOGIN_PROOF = 9;
    /** A successful login: request id, server-final message, the perspective. */
    public static final int LOGIN_OK = 10;
    /** End the session: request id. Answered by ANSWER null. */
    public static final int LOGOUT = 11;
    /** Cancel a call this end sent: request id (docs/protocol.md §14.2). */
    public static final int CANCEL = 14;
    /** Are you there? No fields; answered by {@link #PONG} (§14.3). */
    public static final int PING = 15;
    /** The answer to a {@link #PING}; no fields. */
    public static final int PONG = 16;
    /** A {@link #CALL} with a deadline: the CALL header, then the time left in µs (§14.1). */
    public static final int CALL_DEADLINE = 17;
    /** A new copy of a cacheable: object id, type name, state. */
    public static final int CACHE = 12;
    /** An update to a copy, one-way: object id, method name, argument count, arguments. */
    public static final int OBSERVE = 13;

    private MessageKind() {
    }
}
