package dev.jpb.internal.twisted.banana;

import static java.util.Objects.requireNonNull;

import dev.jpb.twisted.BananaException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Banana byte stream into top-level expressions, one message each (see {@link Banana}
 * for the Java types). Every declared size is checked against {@link BananaLimits} before
 * anything is allocated or buffered for it; a string is only read once all its bytes arrived.
 * After a violation the decoder throws {@link BananaException} once and drops all later input.
 *
 * <p>Not thread-safe: one instance per channel, used on its event loop.
 */
public final class BananaDecoder extends ByteToMessageDecoder {
    /** A list still waiting for elements. */
    private static final class Frame {
        int remaining;
        final List<Object> items;

        Frame(int count) {
            this.remaining = count;
            // Sized by what arrives, not by what the peer declared.
            this.items = new ArrayList<>(Math.min(count, 16));
        }
    }

    private final BananaLimits limits;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>(); // guarded by the event loop
    private long expressionBytes;                              // guarded by the event loop
    private boolean pbDialect;                                 // guarded by the event loop
    private boolean failed;                                    // guarded by the event loop

    /**
     * Creates a decoder.
     *
     * @param limits the bounds to enforce
     */
    public BananaDecoder(BananaLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** Allows vocabulary tokens from now on (the {@code pb} dialect was selected). */
    public void selectPbDialect() {
        pbDialect = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                Object item = readToken(in);
                if (item == PENDING) {
                    return;
                }
                // One top-level expression per call: the handler sees it (and may switch the
                // dialect, as the first one does) before the next byte is decoded.
                if (item != LIST_OPENED && deliver(item, out)) {
                    return;
                }
            }
        } catch (BananaException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private static final Object PENDING = new Object();
    private static final Object LIST_OPENED = new Object();

    /** Adds an item to the open list or, at top level, to out; true if top-level. */
    private boolean deliver(Object item, List<Object> out) {
        Object value = item;
        while (true) {
            Frame top = stack.peek();
            if (top == null) {
                out.add(value);
                expressionBytes = 0;
                return true;
            }
            top.items.add(value);
            if (--top.remaining > 0) {
                return false;
            }
            stack.pop();
            value = top.items;
        }
    }

    /** Reads one token, or returns PENDING (nothing consumed) if it has not fully arrived. */
    private Object readToken(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int digits = 0;
        while (start + digits < end && in.getByte(start + digits) >= 0) {
            digits++;
            if (digits > limits.maxPrefixDigits()) {
                throw new BananaException("more than " + limits.maxPrefixDigits()
                        + " digits of prefix before a type byte (maxPrefixDigits): "
                        + "not Banana, or a number too large to accept");
            }
        }
        if (start + digits == end) {
            return PENDING;
        }
        int type = in.getByte(start + digits) & 0xff;
        long small = 0;
        boolean huge = false;
        for (int i = 0; i < digits; i++) {
            long digit = in.getByte(start + i);
            if (i >= 9 && digit != 0) {
                huge = true; // 9 digits are 63 bits: the value no longer fits a long
            } else {
                small |= digit << (7 * i);
            }
        }
        int header = digits + 1;
        switch (type) {
            case Banana.LIST -> {
                int count = checkedSize(small, huge, "list", "elements");
                count(in, header);
                if (stack.size() >= limits.maxDepth()) {
                    throw new BananaException("lists nested deeper than " + limits.maxDepth()
                            + " (maxDepth); send a flatter value");
                }
                if (count == 0) {
                    return new ArrayList<>(0);
                }
                stack.push(new Frame(count));
                return LIST_OPENED;
            }
            case Banana.STRING -> {
                int length = checkedSize(small, huge, "string", "bytes");
                checkMessage(header + (long) length);
                if (end - start - header < length) {
                    return PENDING;
                }
                count(in, header);
                byte[] bytes = new byte[length];
                in.readBytes(bytes);
                expressionBytes += length;
                return bytes;
            }
            case Banana.INT, Banana.LONGINT, Banana.NEG, Banana.LONGNEG -> {
                count(in, header);
                boolean negative = type == Banana.NEG || type == Banana.LONGNEG;
                if (!huge && small >= 0) {
                    return Banana.narrow(negative ? -small : small);
                }
                BigInteger magnitude = bigPrefix(in, start, digits);
                return Banana.narrow(negative ? magnitude.negate() : magnitude);
            }
            case Banana.FLOAT -> {
                if (digits != 0) {
                    throw new BananaException("a float token has no prefix, got " + digits
                            + " digits: not Banana");
                }
                if (end - start < 9) {
                    checkMessage(9);
                    return PENDING;
                }
                count(in, 1);
                expressionBytes += 8;
                checkMessage(0);
                return in.readDouble();
            }
            case Banana.VOCAB -> {
                count(in, header);
                if (!pbDialect) {
                    throw new BananaException("a vocabulary token before the pb dialect was "
                            + "selected: not a Twisted PB peer");
                }
                String word = huge ? null : Banana.word(small);
                if (word == null) {
                    throw new BananaException("unknown vocabulary number "
                            + (huge ? "(huge)" : small) + ": the pb dialect has words 1.."
                            + (Banana.VOCABULARY.length - 1));
                }
                return word;
            }
            default -> throw new BananaException(String.format(
                    "unknown Banana type byte 0x%02x: not a Twisted PB peer", type));
        }
    }

    private int checkedSize(long n, boolean huge, String what, String unit) {
        if (huge || n > limits.maxTokenBytes()) {
            throw new BananaException("a " + what + " of " + (huge ? "more than 2^63" : n)
                    + " " + unit + " is over maxTokenBytes (" + limits.maxTokenBytes()
                    + "); raise it on the builder if such values are legitimate");
        }
        return (int) n;
    }

    private void count(ByteBuf in, int bytes) {
        in.skipBytes(bytes);
        expressionBytes += bytes;
        checkMessage(0);
    }

    private void checkMessage(long more) {
        if (expressionBytes + more > limits.maxMessageBytes()) {
            throw new BananaException("one message is over maxMessageBytes ("
                    + limits.maxMessageBytes() + " bytes); raise it on the builder if such "
                    + "messages are legitimate");
        }
    }

    private static BigInteger bigPrefix(ByteBuf in, int start, int digits) {
        BigInteger v = BigInteger.ZERO;
        for (int i = digits - 1; i >= 0; i--) {
            v = v.shiftLeft(7).or(BigInteger.valueOf(in.getByte(start + i)));
        }
        return v;
    }
}
