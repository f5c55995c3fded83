package dev.jpb.internal.twisted.banana;

import dev.jpb.twisted.BananaException;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Banana's tokens (Twisted 22.4, {@code twisted/spread/banana.py}) and its encoder.
 *
 * <p>In Java an expression is built from {@link List} (a Banana list), {@link Integer},
 * {@link Long} and {@link BigInteger} (ints), {@link Double} (float), {@code byte[]} (a byte
 * string) and {@link String}: a string is an atom, sent as its vocabulary number in the
 * {@code pb} dialect when it has one and as its ASCII bytes otherwise. The decoder gives a
 * vocabulary token back as the interned atom {@code String} and any other byte string as
 * {@code byte[]}.
 */
public final class Banana {
    /** Type byte: a list of the following N expressions. */
    public static final int LIST = 0x80;
    /** Type byte: an int 0..2^31-1. */
    public static final int INT = 0x81;
    /** Type byte: a byte string of N bytes. */
    public static final int STRING = 0x82;
    /** Type byte: an int -2^31..-1, sent as its absolute value. */
    public static final int NEG = 0x83;
    /** Type byte: an 8-byte big-endian IEEE 754 double follows (no prefix). */
    public static final int FLOAT = 0x84;
    /** Type byte: an int above 2^31-1. */
    public static final int LONGINT = 0x85;
    /** Type byte: an int below -2^31, sent as its absolute value. */
    public static final int LONGNEG = 0x86;
    /** Type byte: the word number N of the {@code pb} dialect's vocabulary. */
    public static final int VOCAB = 0x87;

    /** The {@code pb} dialect's vocabulary, index = number on the wire (0 is unused). */
    static final String[] VOCABULARY = {
        null, "None", "class", "dereference", "reference", "dictionary", "function",
        "instance", "list", "module", "persistent", "tuple", "unpersistable", "copy", "cache",
        "cached", "remote", "local", "lcache", "version", "login", "password", "challenge",
        "logged_in", "not_logged_in", "cachemessage", "message", "answer", "error", "decref",
        "decache", "uncache",
    };

    private static final Map<String, Integer> WORD_NUMBERS = new HashMap<>();

    static {
        for (int i = 1; i < VOCABULARY.length; i++) {
            WORD_NUMBERS.put(VOCABULARY[i], i);
        }
    }

    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);

    private Banana() {
    }

    /** Returns the vocabulary word numbered {@code n}, or {@code null} if there is none. */
    static String word(long n) {
        return n > 0 && n < VOCABULARY.length ? VOCABULARY[(int) n] : null;
    }

    /** Returns the largest magnitude an int may have with {@code digits} prefix digits. */
    public static BigInteger largestMagnitude(int digits) {
        return BigInteger.ONE.shiftLeft(7 * digits).subtract(BigInteger.ONE);
    }

    /**
     * Writes one expression.
     *
     * @param value     the expression (see the class comment for the Java types)
     * @param out       where the bytes go
     * @param pbDialect whether atoms may be sent as vocabulary numbers
     * @param limits    the token and int bounds the peer enforces (Twisted refuses bigger)
     * @throws BananaException if the value has a type Banana cannot carry or is past a limit
     */
    public static void encode(Object value, ByteBuf out, boolean pbDialect, BananaLimits limits) {
        if (value instanceof List<?> list) {
            checkSize(list.size(), limits, "list");
            writePrefix(list.size(), out);
            out.writeByte(LIST);
            for (Object item : list) {
                encode(item, out, pbDialect, limits);
            }
        } else if (value instanceof String atom) {
            Integer number = pbDialect ? WORD_NUMBERS.get(atom) : null;
            if (number != null) {
                writePrefix(number, out);
                out.writeByte(VOCAB);
            } else {
                writeString(atom.getBytes(StandardCharsets.US_ASCII), out, limits);
            }
        } else if (value instanceof byte[] bytes) {
            writeString(bytes, out, limits);
        } else if (value instanceof Integer i) {
            writeLong(i, out);
        } else if (value instanceof Long l) {
            writeLong(l, out);
        } else if (value instanceof BigInteger big) {
            writeBig(big, out, limits);
        } else if (value instanceof Double d) {
            out.writeByte(FLOAT);
            out.writeDouble(d);
        } else {
            throw new BananaException("Banana cannot carry a "
                    + (value == null ? "null" : value.getClass().getName())
                    + "; send lists, ints, floats and byte strings");
        }
    }

    private static void checkSize(int size, BananaLimits limits, String what) {
        if (size > limits.maxTokenBytes()) {
            throw new BananaException("a " + what + " of " + size + " is too long to send: "
                    + "Twisted refuses tokens over " + limits.maxTokenBytes()
                    + " (maxTokenBytes); split it into smaller values");
        }
    }

    private static void writeString(byte[] bytes, ByteBuf out, BananaLimits limits) {
        checkSize(bytes.length, limits, "byte string");
        writePrefix(bytes.length, out);
        out.writeByte(STRING);
        out.writeBytes(bytes);
    }

    private static void writeLong(long v, ByteBuf out) {
        if (v >= 0) {
            writePrefix(v, out);
            out.writeByte(v <= Integer.MAX_VALUE ? INT : LONGINT);
        } else if (v == Long.MIN_VALUE) {
            writeBigMagnitude(BigInteger.valueOf(v).negate(), out);
            out.writeByte(LONGNEG);
        } else {
            writePrefix(-v, out);
            out.writeByte(v >= Integer.MIN_VALUE ? NEG : LONGNEG);
        }
    }

    private static void writeBig(BigInteger v, ByteBuf out, BananaLimits limits) {
        if (v.bitLength() < 63) {
            writeLong(v.longValue(), out);
            return;
        }
        BigInteger magnitude = v.abs();
        if (magnitude.compareTo(largestMagnitude(limits.maxPrefixDigits())) > 0) {
            throw new BananaException("int too large to send (" + v.bitLength()
                    + " bits): Banana carries at most " + 7 * limits.maxPrefixDigits()
                    + " bits (maxPrefixDigits " + limits.maxPrefixDigits() + ")");
        }
        writeBigMagnitude(magnitude, out);
        int type;
        if (v.signum() >= 0) {
            type = v.compareTo(INT_MAX) <= 0 ? INT : LONGINT;
        } else {
            type = v.compareTo(INT_MIN) >= 0 ? NEG : LONGNEG;
        }
        out.writeByte(type);
    }

    /** Writes a non-negative number as base-128 digits, least significant first. */
    static void writePrefix(long n, ByteBuf out) {
        if (n == 0) {
            out.writeByte(0);
            return;
        }
        while (n != 0) {
            out.writeByte((int) (n & 0x7f));
            n >>>= 7;
        }
    }

    private static void writeBigMagnitude(BigInteger n, ByteBuf out) {
        BigInteger mask = BigInteger.valueOf(0x7f);
        while (n.signum() != 0) {
            out.writeByte(n.and(mask).intValue());
            n = n.shiftRight(7);
        }
    }

    /** Returns the smallest of Integer, Long and BigInteger that holds {@code v}. */
    public static Number narrow(BigInteger v) {
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        return v;
    }

    /** Returns the smallest of Integer and Long that holds {@code v}. */
    public static Number narrow(long v) {
        return v == (int) v ? (Number) (int) v : (Number) v;
    }
}
