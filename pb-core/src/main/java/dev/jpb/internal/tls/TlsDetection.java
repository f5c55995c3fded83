package dev.jpb.internal.tls;

import dev.jpb.internal.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;

/**
 * Tells from the first bytes a peer sent whether it speaks TLS or plaintext jpb, so that each
 * end can refuse the wrong one with a message that says what to change instead of a hang or a
 * bare "not an SSL record". The TLS test is Netty's {@link SslHandler#isEncrypted}: a record
 * header of a known content type (handshake, alert, ...) and major version 3.
 */
public final class TlsDetection {
    /** What the first bytes are. */
    public enum FirstBytes {
        /** A TLS record (a ClientHello from a client; an alert or ServerHello from a server). */
        TLS,
        /** The magic of a plaintext jpb hello, {@code "JPB!"}. */
        JPB_HELLO,
        /** Neither: some other protocol, or garbage. */
        OTHER,
        /** Too few bytes to tell yet; wait for more. */
        NEED_MORE
    }

    /** The bytes needed to tell every case apart: a TLS record header. */
    public static final int BYTES_NEEDED = 5;

    private TlsDetection() {
    }

    /**
     * Classifies the readable bytes of {@code in} without consuming them.
     *
     * @return {@link FirstBytes#NEED_MORE} only while fewer than {@link #BYTES_NEEDED} bytes are
     *     readable and they could still begin either a TLS record or a jpb hello
     */
    public static FirstBytes classify(ByteBuf in) {
        int readable = in.readableBytes();
        int start = in.readerIndex();
        if (readable >= 4 && in.getInt(start) == Hello.MAGIC) {
            return FirstBytes.JPB_HELLO;
        }
        if (readable >= BYTES_NEEDED) {
            return SslHandler.isEncrypted(in, false) ? FirstBytes.TLS : FirstBytes.OTHER;
        }
        if (readable == 0) {
            return FirstBytes.NEED_MORE;
        }
        int first = in.getUnsignedByte(start);
        boolean maybeTls = first >= 20 && first <= 24
                && (readable < 2 || in.getUnsignedByte(start + 1) == 3);
        boolean maybeHello = true;
        for (int i = 0; i < readable; i++) {
            int expected = (Hello.MAGIC >>> (24 - 8 * i)) & 0xff;
            maybeHello &= in.getUnsignedByte(start + i) == expected;
        }
        return maybeTls || maybeHello ? FirstBytes.NEED_MORE : FirstBytes.OTHER;
    }

    /**
     * Returns the reason a server on a TLS port logs when a client sent {@code what} instead
     * of a ClientHello.
     */
    public static String refusedOnTlsPort(FirstBytes what, SocketAddress peer) {
        return switch (what) {
            case JPB_HELLO -> "a plaintext jpb client at " + peer + " connected to this TLS"
                    + " port; refused. The client must use TLS: PbClient.builder()"
                    + ".pinServer(fingerprint) or .trustCertificates(pemFile)";
            default -> "the client at " + peer + " sent bytes that are not TLS to this TLS"
                    + " port; refused";
        };
    }

    /**
     * Returns the reason a server on a plaintext port logs when a client sent {@code what}
     * instead of a jpb hello; the handshake handler of a plaintext port calls this.
     */
    public static String refusedOnPlaintextPort(FirstBytes what, SocketAddress peer) {
        return switch (what) {
            case TLS -> "a TLS client at " + peer + " connected to this plaintext jpb port;"
                    + " refused. Either serve TLS here (PbServer.builder().tls(identity)) or"
                    + " connect the client without pinServer/trustCertificates";
            default -> "the client at " + peer + " is not a jpb endpoint; refused";
        };
    }

    /**
     * Returns the message of the error a client expecting TLS reports when the server sent
     * {@code what} instead of a TLS record.
     */
    public static String clientExpectedTls(FirstBytes what, SocketAddress server) {
        return switch (what) {
            case JPB_HELLO -> "the server at " + server + " speaks plaintext jpb, not TLS;"
                    + " connect to its TLS port, or drop pinServer/trustCertificates if it"
                    + " serves no TLS";
            default -> "the server at " + server + " sent bytes that are not TLS; check the"
                    + " address and port";
        };
    }

    /**
     * Returns the message of the error a plaintext client reports when the server sent
     * {@code what} instead of a jpb hello; the client's handshake handler calls this.
     */
    public static String clientExpectedPlaintext(FirstBytes what, SocketAddress server) {
        return switch (what) {
            case TLS -> "the server at " + server + " speaks TLS; connect with"
                    + " PbClient.builder().pinServer(fingerprint) or .trustCertificates(pemFile)";
            default -> "the server at " + server + " is not a jpb endpoint";
        };
    }
}
