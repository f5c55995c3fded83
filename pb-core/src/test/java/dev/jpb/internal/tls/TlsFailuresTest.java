package dev.jpb.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.ClientCertificateRefusedException;
import dev.jpb.PbException;
import dev.jpb.TlsHandshakeException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsFailuresTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "Received fatal alert: certificate_unknown", // JDK 17
        "(certificate_unknown) Received fatal alert: certificate_unknown", // JDK 25
    })
    void aServersCertificateAlertIsAClientCertificateRefusalInTheWordingOfEitherJdk(
            String message) {
        PbException e = TlsFailures.translate(new SSLHandshakeException(message),
                "127.0.0.1:7000", false, null);

        assertThat(e).isInstanceOf(ClientCertificateRefusedException.class)
                .hasMessageContaining("127.0.0.1:7000").hasMessageContaining("certificate_unknown");
    }

    @Test
    void anotherAlertStaysAHandshakeFailure() {
        PbException e = TlsFailures.translate(
                new SSLHandshakeException("(handshake_failure) Received fatal alert: "
                        + "handshake_failure"), "127.0.0.1:7000", false, null);

        assertThat(e).isInstanceOf(TlsHandshakeException.class)
                .isNotInstanceOf(ClientCertificateRefusedException.class);
    }

    @Test
    void handshakeFailureToAClientWithoutACertificateSaysItProbablyNeedsOne() {
        SSLHandshakeException jdk25 = new SSLHandshakeException(
                "(handshake_failure) Received fatal alert: handshake_failure");

        assertThat(TlsFailures.translate(jdk25, "127.0.0.1:7000", false, null, false))
                .isInstanceOf(ClientCertificateRefusedException.class)
                .hasMessageContaining("after this client presented no certificate")
                .hasMessageContaining("clientIdentity");
        assertThat(TlsFailures.translate(jdk25, "127.0.0.1:7000", false, null, true))
                .isNotInstanceOf(ClientCertificateRefusedException.class);
        assertThat(TlsFailures.translate(jdk25, "127.0.0.1:7000", true, null, false))
                .isNotInstanceOf(ClientCertificateRefusedException.class);
    }
}
