package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.jpb.ProtocolException;

/**
 * PB's local unique ids: ints for exported objects, the byte string {@code root} for the root.
 * In Java a luid is a {@link Long} or a {@link String}.
 */
final class Luids {
    /** The root object's name. */
    static final String ROOT = "root";

    private Luids() {
    }

    /** Returns the Java form of a luid that arrived. */
    static Object normalize(Object wire) {
        if (wire instanceof Integer i) {
            return (long) i;
        }
        if (wire instanceof Long l) {
            return l;
        }
        if (wire instanceof byte[] b && b.length <= 256) {
            return new String(b, US_ASCII);
        }
        if (wire instanceof String s) {
            return s;
        }
        throw new ProtocolException("a luid must be an int or a byte string");
    }

    /** Returns the wire form of a luid. */
    static Object toWire(Object luid) {
        return luid instanceof String s ? s.getBytes(US_ASCII) : luid;
    }
}
