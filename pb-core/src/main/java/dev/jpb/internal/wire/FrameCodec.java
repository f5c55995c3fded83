package dev.jpb.internal.wire;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of message headers (docs/protocol.md §4): one write/read pair per kind.
 * Writers append a frame body's kind byte and header to a Kryo {@link Output} (the values
 * follow in the same output); {@link #read} parses them from a frame body held in a Netty
 * {@link ByteBuf}, leaving its reader index at the first value. Reading does no work beyond
 * the header: it runs on the event loop. Stateless and thread-safe.
 */
public final class FrameCodec {
    /** ERROR flags bit: an error object follows. */
    static final int ERROR_HAS_OBJECT = 1;
    /** ERROR flags bit: the call's arguments were not read; none of their references counted. */
    static final int ERROR_ARGUMENTS_UNREAD = 2;

    private FrameCodec() {
    }

    /** Writes a CALL header; the caller writes {@code argc} values after it. */
    public static void write(Output out, Frame.Call c) {
        writeCall(out, c.requestId(), c.targetId(), c.method(), c.argc(), c.timeoutMicros());
    }

    /**
     * Writes the CALL (or, with {@code timeoutMicros} &ge; 0, CALL_DEADLINE) header that
     * {@code new Frame.Call(requestId, targetId, method, argc, timeoutMicros)} describes,
     * without the record: the outbox writes one per call.
     */
    public static void writeCall(Output out, long requestId, long targetId, String method,
            int argc, long timeoutMicros) {
        out.writeByte(timeoutMicros >= 0 ? MessageKind.CALL_DEADLINE : MessageKind.CALL);
        out.writeVarLong(requestId, true);
        out.writeVarLong(targetId, true);
        WireStrings.write(out, method);
        out.writeVarInt(argc, true);
        if (timeoutMicros >= 0) {
            out.writeVarLong(timeoutMicros, true);
        }
    }

    /** Writes the ANSWER header of {@code requestId}, without a record; the value follows. */
    public static void writeAnswer(Output out, long requestId) {
        out.writeByte(MessageKind.ANSWER);
        out.writeVarLong(requestId, true);
    }

    /** Writes a whole CANCEL body. */
    public static void write(Output out, Frame.Cancel c) {
        out.writeByte(MessageKind.CANCEL);
        out.writeVarLong(c.requestId(), true);
    }

    /** Writes a whole PING or PONG body (the kind byte alone). */
    public static void write(Output out, Frame.Ping p) {
        out.writeByte(p.kind());
    }

    /** Writes an ANSWER header; the caller writes the value after it. */
    public static void write(Output out, Frame.Answer a) {
        writeAnswer(out, a.requestId());
    }

    /** Writes an ERROR header; the caller writes the object after it if {@code hasObject}. */
    public static void write(Output out, Frame.Error e) {
        out.writeByte(MessageKind.ERROR);
        out.writeVarLong(e.requestId(), true);
        WireStrings.write(out, e.type());
        WireStrings.write(out, e.message());
        WireStrings.write(out, e.trace());
        out.writeByte((e.hasObject() ? ERROR_HAS_OBJECT : 0)
                | (e.argumentsUnread() ? ERROR_ARGUMENTS_UNREAD : 0));
    }

    /** Writes a whole DECREF body. */
    public static void write(Output out, Frame.Decref d) {
        out.writeByte(MessageKind.DECREF);
        out.writeVarInt(d.pairs().size(), true);
        for (Frame.Decref.Pair p : d.pairs()) {
            out.writeVarLong(p.objectId(), true);
            out.writeVarInt(p.count(), true);
        }
    }

    /** Writes a whole TYPES body. */
    public static void write(Output out, Frame.Types t) {
        out.writeByte(MessageKind.TYPES);
        out.writeVarInt(t.firstId(), true);
        out.writeVarInt(t.names().size(), true);
        for (String name : t.names()) {
            WireStrings.write(out, name);
        }
    }

    /** Writes a whole ROOT body. */
    public static void write(Output out, Frame.Root r) {
        out.writeByte(MessageKind.ROOT);
        out.writeVarLong(r.requestId(), true);
    }

    /** Writes a LOGIN header; an anonymous login's mind value follows it. */
    public static void write(Output out, Frame.Login l) {
        out.writeByte(MessageKind.LOGIN);
        out.writeVarLong(l.requestId(), true);
        WireStrings.write(out, l.mechanism());
        WireStrings.write(out, l.clientFirst());
    }

    /** Writes a whole LOGIN_CHALLENGE body. */
    public static void write(Output out, Frame.LoginChallenge c) {
        out.writeByte(MessageKind.LOGIN_CHALLENGE);
        out.writeVarLong(c.requestId(), true);
        WireStrings.write(out, c.serverFirst());
    }

    /** Writes a LOGIN_PROOF header; the caller writes the mind value after it. */
    public static void write(Output out, Frame.LoginProof p) {
        out.writeByte(MessageKind.LOGIN_PROOF);
        out.writeVarLong(p.requestId(), true);
        WireStrings.write(out, p.clientFinal());
    }

    /** Writes a LOGIN_OK header; the caller writes the perspective value after it. */
    public static void write(Output out, Frame.LoginOk o) {
        out.writeByte(MessageKind.LOGIN_OK);
        out.writeVarLong(o.requestId(), true);
        WireStrings.write(out, o.serverFinal());
    }

    /** Writes a whole LOGOUT body. */
    public static void write(Output out, Frame.Logout l) {
        out.writeByte(MessageKind.LOGOUT);
        out.writeVarLong(l.requestId(), true);
    }

    /** Writes a CACHE header; the caller writes the state value after it. */
    public static void write(Output out, Frame.Cache c) {
        out.writeByte(MessageKind.CACHE);
        out.writeVarLong(c.objectId(), true);
        WireStrings.write(out, c.typeName());
    }

    /** Writes an OBSERVE header; the caller writes {@code argc} values after it. */
    public static void write(Output out, Frame.Observe o) {
        writeObserve(out, o.objectId(), o.method(), o.argc());
    }

    /** As {@link #write(Output, Frame.Observe)}, without a header record per update. */
    public static void writeObserve(Output out, long objectId, String method, int argc) {
        out.writeByte(MessageKind.OBSERVE);
        out.writeVarLong(objectId, true);
        WireStrings.write(out, method);
        out.writeVarInt(argc, true);
    }

    /**
     * Reads the kind and header of the frame body in {@code in}, leaving the reader index at
     * the first value (if any).
     *
     * @throws ProtocolException if the body is empty, of an unknown kind, or its header runs
     *     past the frame or is malformed (docs/protocol.md §8: the connection closes)
     */
    public static Frame read(ByteBuf in) {
        if (!in.isReadable()) {
            throw new ProtocolException("empty frame");
        }
        int kind = in.readUnsignedByte();
        switch (kind) {
            case MessageKind.CALL:
                return readCall(in, false);
            case MessageKind.CALL_DEADLINE:
                return readCall(in, true);
            case MessageKind.CANCEL:
                return new Frame.Cancel(readVarLong(in));
            case MessageKind.PING:
                return new Frame.Ping(false);
            case MessageKind.PONG:
                return new Frame.Ping(true);
            case MessageKind.ANSWER:
                return new Frame.Answer(readVarLong(in));
            case MessageKind.ERROR:
                return readError(in);
            case MessageKind.DECREF:
                return readDecref(in);
            case MessageKind.TYPES:
                return readTypes(in);
            case MessageKind.ROOT:
                return new Frame.Root(readVarLong(in));
            case MessageKind.LOGIN:
                return new Frame.Login(readVarLong(in), readString(in), readString(in));
            case MessageKind.LOGIN_CHALLENGE:
                return new Frame.LoginChallenge(readVarLong(in), readString(in));
            case MessageKind.LOGIN_PROOF:
                return new Frame.LoginProof(readVarLong(in), readString(in));
            case MessageKind.LOGIN_OK:
                return new Frame.LoginOk(readVarLong(in), readString(in));
            case MessageKind.LOGOUT:
                return new Frame.Logout(readVarLong(in));
            case MessageKind.CACHE:
                return readCache(in);
            case MessageKind.OBSERVE:
                return readObserve(in);
            default:
                throw new ProtocolException("unknown message kind " + kind);
        }
    }

    /**
     * Returns whether {@code frame}'s body ends with its header: no values follow, so bytes
     * left after {@link #read} are trailing garbage (a violation, docs/protocol.md §3).
     */
    public static boolean isHeaderOnly(Frame frame) {
        if (frame instanceof Frame.Call c) {
            return c.argc() == 0;
        }
        if (frame instanceof Frame.Error e) {
            return !e.hasObject();
        }
        return frame instanceof Frame.Decref || frame instanceof Frame.Types
                || frame instanceof Frame.Root || frame instanceof Frame.Cancel
                || frame instanceof Frame.Ping;
    }

    private static Frame.Call readCall(ByteBuf in, boolean deadline) {
        CallHeader h = new CallHeader();
        readCallHeader(in, deadline, h);
        return new Frame.Call(h.requestId, h.targetId, h.method, h.argc, h.timeoutMicros);
    }

    /**
     * The fields of a CALL or CALL_DEADLINE header as {@link #readCall(ByteBuf, CallHeader)}
     * reads them: the same as {@link Frame.Call}'s, in an object the reader fills again for
     * every call, so the hot path makes no record per call. Not thread-safe: one per event
     * loop's reader (a broker's), overwritten by the next call read.
     */
    public static final class CallHeader {
        /** The request id; 0 asks for no answer. */
        public long requestId;
        /** The target object's id. */
        public long targetId;
        /** The method name (without its prefix); never null once read. */
        public String method;
        /** The number of argument values that follow. */
        public int argc;
        /** The caller's time left, or {@link Frame.Call#NO_DEADLINE} for a plain CALL. */
        public long timeoutMicros;

        /** Returns whether the caller set a deadline (a CALL_DEADLINE). */
        public boolean hasDeadline() {
            return timeoutMicros >= 0;
        }
    }

    /**
     * Returns the kind byte of the frame body in {@code in} without reading it, or -1 if the
     * body is empty (which {@link #read} refuses).
     */
    public static int peekKind(ByteBuf in) {
        return in.isReadable() ? in.getUnsignedByte(in.readerIndex()) : -1;
    }

    /**
     * Reads a CALL or CALL_DEADLINE body's kind and header into {@code into}, exactly as
     * {@link #read} reads them into a {@link Frame.Call}, leaving the reader index at the
     * first argument.
     *
     * @throws ProtocolException if the body is not a call, or its header is malformed or runs
     *     past the frame (the connection closes)
     */
    public static void readCall(ByteBuf in, CallHeader into) {
        int kind = readByte(in);
        if (kind != MessageKind.CALL && kind != MessageKind.CALL_DEADLINE) {
            throw new ProtocolException("message kind " + kind + " is not a call");
        }
        readCallHeader(in, kind == MessageKind.CALL_DEADLINE, into);
    }

    /**
     * Reads an ANSWER body's kind and header: returns its request id, leaving the reader index
     * at the value (as {@link #read} does for a {@link Frame.Answer}).
     *
     * @throws ProtocolException if the body is not an ANSWER or its header is malformed
     */
    public static long readAnswer(ByteBuf in) {
        int kind = readByte(in);
        if (kind != MessageKind.ANSWER) {
            throw new ProtocolException("message kind " + kind + " is not an answer");
        }
        return readVarLong(in);
    }

    private static void readCallHeader(ByteBuf in, boolean deadline, CallHeader into) {
        long requestId = readVarLong(in);
        long targetId = readVarLong(in);
        String method = MethodNameCache.read(in);
        int argc = readVarInt(in);
        long timeoutMicros = deadline ? readVarLong(in) : Frame.Call.NO_DEADLINE;
        if (method == null || argc < 0 || argc > in.readableBytes()
                || deadline && timeoutMicros < 0) {
            throw new ProtocolException("malformed call header");
        }
        into.requestId = requestId;
        into.targetId = targetId;
        into.method = method;
        into.argc = argc;
        into.timeoutMicros = timeoutMicros;
    }

    private static Frame.Cache readCache(ByteBuf in) {
        long objectId = readVarLong(in);
        String typeName = readString(in);
        if (typeName == null || !in.isReadable()) {
            throw new ProtocolException("malformed cache header");
        }
        return new Frame.Cache(objectId, typeName);
    }

    private static Frame.Observe readObserve(ByteBuf in) {
        ObserveHeader h = new ObserveHeader();
        readObserveHeader(in, h);
        return new Frame.Observe(h.objectId, h.method, h.argc);
    }

    /**
     * Reads an OBSERVE body's kind and header into {@code into}, leaving the reader index at
     * the first value (as {@link #read} does for a {@link Frame.Observe}).
     *
     * @throws ProtocolException if the body is not an OBSERVE or its header is malformed
     */
    public static void readObserve(ByteBuf in, ObserveHeader into) {
        int kind = readByte(in);
        if (kind != MessageKind.OBSERVE) {
            throw new ProtocolException("message kind " + kind + " is not an update");
        }
        readObserveHeader(in, into);
    }

    private static void readObserveHeader(ByteBuf in, ObserveHeader into) {
        long objectId = readVarLong(in);
        String method = MethodNameCache.read(in); // one string per name, as for CALL
        int argc = readVarInt(in);
        if (method == null || argc < 0 || argc > in.readableBytes()) {
            throw new ProtocolException("malformed observe header");
        }
        into.objectId = objectId;
        into.method = method;
        into.argc = argc;
    }

    /**
     * The fields of an OBSERVE header as {@link #readObserve(ByteBuf, ObserveHeader)} reads
     * them: {@link Frame.Observe}'s, in an object the reader fills again for every update (no
     * record per update). Not thread-safe: one per broker's reader, overwritten by the next.
     */
    public static final class ObserveHeader {
        /** The copy's id (the cacheable's export id on the sender). */
        public long objectId;
        /** The method name (without its {@code observe_} prefix); never null once read. */
        public String method;
        /** The number of argument values that follow. */
        public int argc;
    }

    private static Frame.Decref readDecref(ByteBuf in) {
        int count = readVarInt(in);
        if (count < 0 || count > in.readableBytes()) {
            throw new ProtocolException("decref count " + count + " runs past the frame");
        }
        List<Frame.Decref.Pair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new Frame.Decref.Pair(readVarLong(in), readVarInt(in)));
        }
        return new Frame.Decref(pairs);
    }

    private static Frame.Error readError(ByteBuf in) {
        long requestId = readVarLong(in);
        String type = readString(in);
        String message = readString(in);
        String trace = readString(in);
        int flags = readByte(in);
        return new Frame.Error(requestId, type, message, trace,
                (flags & ERROR_HAS_OBJECT) != 0, (flags & ERROR_ARGUMENTS_UNREAD) != 0);
    }

    private static Frame.Types readTypes(ByteBuf in) {
        int firstId = readVarInt(in);
        int count = readVarInt(in);
        if (count < 0 || count > in.readableBytes()) {
            throw new ProtocolException("type count " + count + " runs past the frame");
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(readString(in));
        }
        return new Frame.Types(firstId, names);
    }

    private static int readByte(ByteBuf in) {
        if (!in.isReadable()) {
            throw new ProtocolException("header runs past the frame");
        }
        return in.readUnsignedByte();
    }

    /** Reads a {@code uvarint32} (LEB128, at most 5 bytes). */
    static int readVarInt(ByteBuf in) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte(in);
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new ProtocolException("uvarint32 longer than 5 bytes");
    }

    /** Reads a {@code uvarint64}: 7 bits a byte for 8 bytes, then a 9th of 8 full bits. */
    static long readVarLong(ByteBuf in) {
        long result = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            int b = readByte(in);
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        return result | (long) readByte(in) << 56;
    }

    /** Reads an {@code hstring}, or null. */
    static String readString(ByteBuf in) {
        int n = readVarInt(in);
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        if (length < 0 || length > in.readableBytes()) {
            throw new ProtocolException("string length " + length + " runs past the frame");
        }
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }
}
