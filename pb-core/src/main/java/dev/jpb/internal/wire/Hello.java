package dev.jpb.internal.wire;

import io.netty.buffer.ByteBuf;

/**
 * The handshake each side sends first: magic {@code "JPB!"}, major and minor protocol version,
 * feature flags and the largest frame the sender accepts. 16 bytes, big-endian, no framing.
 */
public record Hello(int major, int minor, int features, int maxFrameBytes) {
    /** {@code "JPB!"}. */
    public static final int MAGIC = 0x4A504221;
    /** The length of a hello on the wire. */
    public static final int LENGTH = 16;
    /** The protocol version this implementation speaks. */
    public static final int MAJOR = 1;
    /** The minor version: additions a peer of the same major may ignore. */
    public static final int MINOR = 1;
    /** Feature bit 0: this end serves login (docs/protocol.md §13.2). */
    public static final int FEATURE_LOGIN = 1;
    /** Feature bit 1: this end takes cacheables (CACHE and OBSERVE frames, class id 6). */
    public static final int FEATURE_CACHE = 1 << 1;
    /**
     * Feature bit 2: the peer understands CALL_DEADLINE, CANCEL, PING and PONG
     * (docs/protocol.md §14), so they may be sent to it.
     */
    public static final int FEATURE_DEADLINES = 1 << 2;
    /** The features every end of this implementation offers (login is offered per end). */
    public static final int FEATURES = FEATURE_CACHE | FEATURE_DEADLINES;

    /** Returns whether the sender set feature bit {@code bit} (e.g. {@link #FEATURE_LOGIN}). */
    public boolean offers(int bit) {
        return (features & bit) != 0;
    }

    /** Writes this hello. */
    public void writeTo(ByteBuf out) {
        out.writeInt(MAGIC).writeShort(major).writeShort(minor).writeInt(features)
                .writeInt(maxFrameBytes);
    }

    /**
     * Reads a hello from 16 readable bytes, or returns {@code null} with the reason in
     * {@code problem[0]} if they are not one.
     */
    public static Hello read(ByteBuf in, String[] problem) {
        int magic = in.getInt(in.readerIndex());
        if (magic != MAGIC) {
            byte[] first = new byte[Math.min(8, in.readableBytes())];
            in.getBytes(in.readerIndex(), first);
            problem[0] = "peer is not a jpb endpoint (its first bytes were "
                    + printable(first) + ")";
            return null;
        }
        in.skipBytes(4);
        Hello hello = new Hello(in.readUnsignedShort(), in.readUnsignedShort(), in.readInt(),
                in.readInt());
        if (hello.major != MAJOR) {
            problem[0] = "peer speaks jpb protocol " + hello.major + "." + hello.minor
                    + ", this end speaks " + MAJOR + "." + MINOR + "; upgrade the older end";
            return null;
        }
        if (hello.maxFrameBytes < 1024) {
            problem[0] = "peer announced maxFrameBytes " + hello.maxFrameBytes + " (< 1024)";
            return null;
        }
        return hello;
    }

    /** Returns {@code bytes} quoted, with non-printable ones as dots. */
    public static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("'");
        for (byte b : bytes) {
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return sb.append('\'').toString();
    }
}
