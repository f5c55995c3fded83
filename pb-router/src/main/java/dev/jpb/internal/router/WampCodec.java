package dev.jpb.internal.router;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/** The two WAMP serializers: {@code wamp.2.json} (Jackson) and {@code wamp.2.msgpack}. */
abstract class WampCodec {
    static final int MAX_DEPTH = 64;

    static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Thrown for bytes that are not one WAMP message (an array) in this serializer. */
    static final class BadMessage extends Exception {
        private static final long serialVersionUID = 1L;

        BadMessage(String message) {
            super(message);
        }
    }

    static WampCodec forSubprotocol(String subprotocol) {
        if ("wamp.2.json".equals(subprotocol)) {
            return new Json();
        }
        if ("wamp.2.msgpack".equals(subprotocol)) {
            return new MsgPack();
        }
        return null;
    }

    /** Decodes one frame's payload into a message (a list whose first element is the type). */
    abstract List<Object> decode(WebSocketFrame frame) throws BadMessage;

    /** Encodes one message into a frame of the serializer's kind. */
    abstract WebSocketFrame encode(List<Object> message);

    static final class Json extends WampCodec {
        @Override
        List<Object> decode(WebSocketFrame frame) throws BadMessage {
            if (!(frame instanceof TextWebSocketFrame)) {
                throw new BadMessage("wamp.2.json messages travel in text frames");
            }
            Object v;
            try {
                ByteBuf b = frame.content();
                v = JSON.readValue(ByteBufUtil.getBytes(b), Object.class);
            } catch (IOException e) {
                throw new BadMessage("not valid JSON: " + firstLine(e));
            }
            return asMessage(v);
        }

        @Override
        WebSocketFrame encode(List<Object> message) {
            try {
                return new TextWebSocketFrame(Unpooled.wrappedBuffer(
                        JSON.writeValueAsBytes(message)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage(), e);
            }
        }
    }

    static final class MsgPack extends WampCodec {
        @Override
        List<Object> decode(WebSocketFrame frame) throws BadMessage {
            if (!(frame instanceof BinaryWebSocketFrame)) {
                throw new BadMessage("wamp.2.msgpack messages travel in binary frames");
            }
            byte[] bytes = ByteBufUtil.getBytes(frame.content());
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
                Object v = read(u, 0, bytes.length);
                if (u.hasNext()) {
                    throw new BadMessage("trailing bytes after the message");
                }
                return asMessage(v);
            } catch (IOException | RuntimeException e) {
                throw new BadMessage("not valid MessagePack: " + e.getMessage());
            }
        }

        /**
         * Reads one value of a frame of {@code total} bytes. Every count a header declares is
         * checked against the bytes left in the frame before anything of that size is
         * allocated: a string or binary of n bytes needs n more, an array of n items at least
         * n, a map of n entries at least 2n.
         */
        private static Object read(MessageUnpacker u, int depth, int total)
                throws IOException, BadMessage {
            if (depth > MAX_DEPTH) {
                throw new BadMessage("nested deeper than " + MAX_DEPTH);
            }
            MessageFormat f = u.getNextFormat();
            ValueType t = f.getValueType();
            switch (t) {
                case NIL:
                    u.unpackNil();
                    return null;
                case BOOLEAN:
                    return u.unpackBoolean();
                case INTEGER:
                    if (f == MessageFormat.UINT64) {
                        BigInteger big = u.unpackBigInteger();
                        return big.bitLength() < 64 ? (Object) big.longValue() : big;
                    }
                    long l = u.unpackLong();
                    return l == (int) l ? (Object) (int) l : (Object) l;
                case FLOAT:
                    return u.unpackDouble();
                case STRING: {
                    int n = u.unpackRawStringHeader();
                    checkDeclared(n, 1, "string of", "bytes", u, total);
                    return new String(u.readPayload(n), StandardCharsets.UTF_8);
                }
                case BINARY: {
                    int n = u.unpackBinaryHeader();
                    checkDeclared(n, 1, "binary of", "bytes", u, total);
                    return u.readPayload(n);
                }
                case ARRAY: {
                    int n = u.unpackArrayHeader();
                    checkDeclared(n, 1, "array of", "items", u, total);
                    List<Object> list = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        list.add(read(u, depth + 1, total));
                    }
                    return list;
                }
                case MAP: {
                    int n = u.unpackMapHeader();
                    checkDeclared(n, 2, "map of", "entries", u, total);
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        Object k = read(u, depth + 1, total);
                        if (!(k instanceof String)) {
                            throw new BadMessage("dictionary keys must be strings");
                        }
                        map.put((String) k, read(u, depth + 1, total));
                    }
                    return map;
                }
                default:
                    throw new BadMessage("MessagePack " + t + " values are not allowed in WAMP");
            }
        }

        /** Refuses a header declaring more than the frame's remaining bytes can hold. */
        private static void checkDeclared(int n, int bytesEach, String what, String unit,
                MessageUnpacker u, int total) throws BadMessage {
            long left = total - u.getTotalReadBytes();
            if (n < 0 || (long) n * bytesEach > left) {
                throw new BadMessage("a MessagePack " + what + " " + Integer.toUnsignedString(n)
                        + " " + unit + " with only " + left + " bytes left in the frame");
            }
        }

        @Override
        WebSocketFrame encode(List<Object> message) {
            try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
                write(p, message, 0);
                return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(p.toByteArray()));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write as MessagePack", e);
            }
        }

        private static void write(MessageBufferPacker p, Object v, int depth)
                throws IOException {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH);
            }
            if (v == null) {
                p.packNil();
            } else if (v instanceof Boolean) {
                p.packBoolean((Boolean) v);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short
                    || v instanceof Byte) {
                p.packLong(((Number) v).longValue());
            } else if (v instanceof BigInteger) {
                p.packBigInteger((BigInteger) v);
            } else if (v instanceof Number) {
                p.packDouble(((Number) v).doubleValue());
            } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum) {
                p.packString(v.toString());
            } else if (v instanceof byte[]) {
                byte[] b = (byte[]) v;
                p.packBinaryHeader(b.length);
                p.writePayload(b);
            } else if (v instanceof Collection<?>) {
                Collection<?> c = (Collection<?>) v;
                p.packArrayHeader(c.size());
                for (Object o : c) {
                    write(p, o, depth + 1);
                }
            } else if (v instanceof Map<?, ?>) {
                Map<?, ?> m = (Map<?, ?>) v;
                p.packMapHeader(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    p.packString(String.valueOf(e.getKey()));
                    write(p, e.getValue(), depth + 1);
                }
            } else if (v instanceof Object[]) {
                write(p, List.of((Object[]) v), depth);
            } else {
                // a registered jpb copy: as the JSON face would show it
                write(p, JSON.convertValue(v, Object.class), depth);
            }
        }
    }

    /** Encodes a message as MessagePack bytes (the cluster's payloads between nodes). */
    static byte[] packMessage(List<Object> message) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            MsgPack.write(p, message, 0);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write as MessagePack", e);
        }
    }

    /** Decodes MessagePack bytes written by {@link #packMessage}. */
    static List<Object> unpackMessage(byte[] bytes) throws BadMessage {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Object v = MsgPack.read(u, 0, bytes.length);
            if (u.hasNext()) {
                throw new BadMessage("trailing bytes after the message");
            }
            return asMessage(v);
        } catch (IOException | RuntimeException e) {
            throw new BadMessage("not valid MessagePack: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static List<Object> asMessage(Object v) throws BadMessage {
        if (!(v instanceof List<?>) || ((List<?>) v).isEmpty()) {
            throw new BadMessage("a WAMP message is a non-empty array");
        }
        List<Object> m = (List<Object>) v;
        if (!(m.get(0) instanceof Integer)) {
            throw new BadMessage("a WAMP message starts with its integer type");
        }
        return m;
    }

    private static String firstLine(IOException e) {
        String s = String.valueOf(e.getMessage());
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
