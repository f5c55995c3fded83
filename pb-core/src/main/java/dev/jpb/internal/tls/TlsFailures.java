package dev.jpb.internal.tls;

import dev.jpb.ClientCertificateRefusedException;
import dev.jpb.PbException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsPinMismatchException;
import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/** Turns what a failed TLS handshake threw into the typed jpb error a caller should see. */
public final class TlsFailures {
    /** What the JDK says when a peer's fatal alert arrives; the alert's name follows. */
    private static final String RECEIVED_ALERT = "Received fatal alert: ";
    /** The alerts a server sends about the client's certificate (RFC 8446 §6.2). */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("certificate_required",
            "bad_certificate", "unsupported_certificate", "certificate_revoked",
            "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied");
    /** What the JDK's server says when a client that must present a certificate sent none. */
    private static final String NO_CLIENT_CERTIFICATE = "Empty client certificate chain";

    private TlsFailures() {
    }

    /**
     * As {@link #translate(Throwable, String)}, knowing which end failed: a client told by the
     * server's alert that its certificate (or the lack of one) was refused gets a
     * {@link ClientCertificateRefusedException}; a server whose client presented no
     * certificate where one is required gets a {@link TlsHandshakeException} saying so.
     *
     * @param server whether this end is the server (the one that accepted the connection)
     * @param engine this end's TLS engine, to tell whether a client presented a certificate;
     *     may be null
     */
    public static PbException translate(Throwable failure, String peer, boolean server,
            SSLEngine engine) {
        return translate(failure, peer, server, engine, null);
    }

    /**
     * As {@link #translate(Throwable, String, boolean, SSLEngine)}, with what this end was
     * configured to present ({@link TlsContexts#presentsCertificate}) for when its engine can
     * no longer tell (TLS 1.2 forgets the handshake once the server's alert arrives).
     *
     * @param presentsCertificate whether this client was configured with a certificate; null
     *     if unknown
     */
    public static PbException translate(Throwable failure, String peer, boolean server,
            SSLEngine engine, Boolean presentsCertificate) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (server && message.contains(NO_CLIENT_CERTIFICATE)) {
                return new TlsHandshakeException("the client at " + peer + " presented no"
                        + " certificate, and this server requires one; give the client an"
                        + " identity with PbClient.builder().clientIdentity(..)", failure);
            }
            // JDK 17: "Received fatal alert: bad_certificate"; JDK 25 puts "(bad_certificate) "
            // in front of the same text.
            int at = message.indexOf(RECEIVED_ALERT);
            String alert = at < 0 ? "" : message.substring(at + RECEIVED_ALERT.length()).trim();
            if (!server && !alert.isEmpty()) {
                Boolean presented = presented(engine);
                String what = refusal(alert, presented != null ? presented : presentsCertificate);
                if (what != null) {
                    return new ClientCertificateRefusedException("the server at " + peer + what
                            + "; present one with PbClient.builder().clientIdentity(identity)"
                            + " and ask the server's operator to trust it"
                            + " (ClientCertificates.pinned(identity.fingerprint()), or the"
                            + " authority that issued it)", failure);
                }
            }
        }
        return translate(failure, peer);
    }

    /**
     * Returns what a server's {@code alert} to this client says of its certificate, or null if
     * it says nothing of it.
     *
     * @param presented whether this client presented a certificate; null if unknown
     */
    private static String refusal(String alert, Boolean presented) {
        if (CERTIFICATE_ALERTS.contains(alert)) {
            if (Boolean.FALSE.equals(presented) || alert.equals("certificate_required")) {
                return " requires a client certificate and this client presented none";
            }
            return Boolean.TRUE.equals(presented)
                    ? " refused this client's certificate (" + alert + ")"
                    : " refused this client's certificate, or its lack of one (" + alert + ")";
        }
        // A TLS 1.2 server of JDK 25 answers an empty client Certificate message with
        // handshake_failure (JDK 17's: bad_certificate). For a client that presented none, a
        // missing certificate is by far the likeliest cause: say so.
        if (alert.equals("handshake_failure") && Boolean.FALSE.equals(presented)) {
            return " ended the handshake (handshake_failure) after this client presented no"
                    + " certificate: it probably requires one";
        }
        return null;
    }

    /** Whether this end presented a certificate in its handshake; null if it cannot tell. */
    private static Boolean presented(SSLEngine engine) {
        if (engine == null) {
            return null;
        }
        SSLSession session = engine.getHandshakeSession();
        if (session == null) {
            session = engine.getSession();
        }
        if (session == null || "SSL_NULL_WITH_NULL_NULL".equals(session.getCipherSuite())) {
            return null; // no handshake state left to ask
        }
        Certificate[] local = session.getLocalCertificates();
        return local != null && local.length > 0;
    }

    /**
     * Returns the jpb error for a handshake failure: the {@link TlsPinMismatchException} or
     * {@link TlsHandshakeException} found in its cause chain, or else a new
     * {@link TlsHandshakeException} whose message says what probably went wrong.
     *
     * @param failure what the SslHandler's handshake future or the pipeline reported
     * @param peer the peer as the message should name it, e.g. {@code "127.0.0.1:7000"}
     */
    public static PbException translate(Throwable failure, String peer) {
        boolean certificate = false;
        boolean notTls = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TlsPinMismatchException mismatch) {
                return mismatch;
            }
            if (t instanceof TlsHandshakeException handshake) {
                return handshake;
            }
            certificate |= t instanceof CertificateException;
            notTls |= t instanceof NotSslRecordException;
        }
        if (notTls) {
            return new TlsHandshakeException("the peer at " + peer + " sent bytes that are not"
                    + " TLS; check that it serves TLS on that port", failure);
        }
        if (certificate) {
            return new TlsHandshakeException("the certificate of " + peer + " was refused ("
                    + failure.getMessage() + "); trustCertificates must hold the authority"
                    + " that issued it, and it must name the host you connect to", failure);
        }
        return new TlsHandshakeException("TLS handshake with " + peer + " failed: "
                + failure.getMessage(), failure);
    }
}
