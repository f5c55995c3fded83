package dev.jpb.internal.wire;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The header of one message, one record per kind (docs/protocol.md §4). Values (a call's
 * arguments, an answer's result, an error's object) follow the header in the frame and are
 * not part of the record: the codec of values reads and writes them.
 */
public sealed interface Frame {
    /** Returns the message kind, the frame's first byte ({@link MessageKind}). */
    int kind();

    /**
     * CALL: {@code argc} argument values follow. {@code requestId} 0 asks for no answer. With
     * {@code timeoutMicros} &ge; 0 it is a CALL_DEADLINE: the caller's deadline, as the time
     * left when it was written; {@link #NO_DEADLINE} (-1) for a plain CALL.
     */
    record Call(long requestId, long targetId, String method, int argc, long timeoutMicros)
            implements Frame {
        /** {@code timeoutMicros} of a call without a deadline. */
        public static final long NO_DEADLINE = -1;

        /** Checks the fields. */
        public Call {
            requireNonNull(method, "method");
        }

        /** A plain CALL, without a deadline. */
        public Call(long requestId, long targetId, String method, int argc) {
            this(requestId, targetId, method, argc, NO_DEADLINE);
        }

        /** Returns whether the caller set a deadline (a CALL_DEADLINE). */
        public boolean hasDeadline() {
            return timeoutMicros >= 0;
        }

        @Override
        public int kind() {
            return hasDeadline() ? MessageKind.CALL_DEADLINE : MessageKind.CALL;
        }
    }

    /** ANSWER: the result value follows. */
    record Answer(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.ANSWER;
        }
    }

    /**
     * ERROR: the error object follows when {@code hasObject}. Strings may be null.
     * {@code argumentsUnread}: the call's arguments could not be decoded whole and none of the
     * references in them was received; the caller gives back every one it sent (§4.3).
     */
    record Error(long requestId, String type, String message, String trace, boolean hasObject,
            boolean argumentsUnread) implements Frame {
        /** An ERROR whose call's arguments were read. */
        public Error(long requestId, String type, String message, String trace,
                boolean hasObject) {
            this(requestId, type, message, trace, hasObject, false);
        }

        @Override
        public int kind() {
            return MessageKind.ERROR;
        }
    }

    /** DECREF: receipts given back, one pair per object (an id may repeat). */
    record Decref(List<Pair> pairs) implements Frame {
        /** Copies the pairs. */
        public Decref {
            pairs = List.copyOf(pairs);
        }

        @Override
        public int kind() {
            return MessageKind.DECREF;
        }

        /** {@code count} receipts (at least 1) of the receiver's object {@code objectId}. */
        public record Pair(long objectId, int count) {
        }
    }

    /** TYPES: the sender's type ids {@code firstId}, {@code firstId + 1}, ... named in order. */
    record Types(int firstId, List<String> names) implements Frame {
        /** Copies the names (null names are kept: the receiver refuses them). */
        public Types {
            names = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(names));
        }

        @Override
        public int kind() {
            return MessageKind.TYPES;
        }
    }

    /** CANCEL: the sender cancelled its call {@code requestId} (protocol §14.2). */
    record Cancel(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.CANCEL;
        }
    }

    /** PING ({@code pong} false) or PONG: keepalive, no fields (protocol §14.3). */
    record Ping(boolean pong) implements Frame {
        @Override
        public int kind() {
            return pong ? MessageKind.PONG : MessageKind.PING;
        }
    }

    /** ROOT: asks for the receiver's root object. */
    record Root(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.ROOT;
        }
    }

    /**
     * LOGIN: starts a login. {@code clientFirst} is the SCRAM client-first message, or null
     * for the {@code ANONYMOUS} mechanism, whose frame then carries the mind as one value.
     */
    record Login(long requestId, String mechanism, String clientFirst) implements Frame {
        @Override
        public int kind() {
            return MessageKind.LOGIN;
        }
    }

    /** LOGIN_CHALLENGE: the SCRAM server-first message answering a LOGIN. */
    record LoginChallenge(long requestId, String serverFirst) implements Frame {
        @Override
        public int kind() {
            return MessageKind.LOGIN_CHALLENGE;
        }
    }

    /** LOGIN_PROOF: the SCRAM client-final message; the mind follows as one value. */
    record LoginProof(long requestId, String clientFinal) implements Frame {
        @Override
        public int kind() {
            return MessageKind.LOGIN_PROOF;
        }
    }

    /**
     * LOGIN_OK: the SCRAM server-final message (null for an anonymous login); the perspective
     * follows as one value.
     */
    record LoginOk(long requestId, String serverFinal) implements Frame {
        @Override
        public int kind() {
            return MessageKind.LOGIN_OK;
        }
    }

    /** LOGOUT: ends the connection's session; answered by ANSWER null. */
    record Logout(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.LOGOUT;
        }
    }

    /** CACHE: the sender's new copy {@code objectId} of class {@code typeName}; state follows. */
    record Cache(long objectId, String typeName) implements Frame {
        /** Checks the fields. */
        public Cache {
            requireNonNull(typeName, "typeName");
        }

        @Override
        public int kind() {
            return MessageKind.CACHE;
        }
    }

    /** OBSERVE: an update to the receiver's copy {@code objectId}; {@code argc} values follow. */
    record Observe(long objectId, String method, int argc) implements Frame {
        /** Checks the fields. */
        public Observe {
            requireNonNull(method, "method");
        }

        @Override
        public int kind() {
            return MessageKind.OBSERVE;
        }
    }
}
