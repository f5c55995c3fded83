package dev.jpb.benchmarks;

import dev.jpb.TlsIdentity;
import dev.jpb.internal.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;

/**
 * The TLS setup every TLS benchmark shares: one self-signed identity, and the floor's contexts
 * made by the same {@link TlsContexts} jpb uses (JDK provider, TLS 1.3, a pinned client), so
 * that jpb over TLS and the floor over TLS pay for the same Netty {@code SslHandler}.
 */
final class TlsBench {
    /** The server identity of every TLS benchmark. */
    static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("localhost", "127.0.0.1");

    private TlsBench() {
    }

    /** Returns a server context presenting {@link #IDENTITY}. */
    static SslContext server() {
        return TlsContexts.server(IDENTITY);
    }

    /** Returns a client context pinning {@link #IDENTITY}. */
    static SslContext client() {
        return TlsContexts.pinnedClient(IDENTITY.fingerprint());
    }
}
