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

    /** CALL: {@code argc} argument values follow. {@code requestId} 0 asks for no answer. */
    record Call(long requestId, long targetId, String method, int argc) implements Frame {
        /** Checks the fields. */
        public Call {
            requireNonNull(method, "method");
        }

        @Override
        public int kind() {
            return MessageKind.CALL;
        }
    }

    /** ANSWER: the result value follows. */
    record Answer(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.ANSWER;
        }
    }

    /** ERROR: the error object follows when {@code hasObject}. Strings may be null. */
    record Error(long requestId, String type, String message, String trace, boolean hasObject)
            implements Frame {
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

    /** ROOT: asks for the receiver's root object. */
    record Root(long requestId) implements Frame {
        @Override
        public int kind() {
            return MessageKind.ROOT;
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
