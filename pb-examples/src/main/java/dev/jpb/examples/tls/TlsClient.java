package dev.jpb.examples.tls;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.nio.file.Path;

/**
 * Calls the TLS hello server, authenticating it by a pinned fingerprint or by trusting its
 * certificate file. Run: {@code TlsClient PORT sha256:...} or {@code TlsClient PORT server.pem}.
 */
public final class TlsClient {
    private TlsClient() {
    }

    /** Connects with the server's certificate pinned, calls {@code add(2, 3)}. */
    public static String runPinned(int port, String fingerprint) throws Exception {
        try (PbClient client = PbClient.builder().pinServer(fingerprint)
                .connect("127.0.0.1", port)) {
            return call(client);
        }
    }

    /** Connects trusting the certificates in {@code pem} (host name checked), calls add. */
    public static String runTrusting(int port, Path pem) throws Exception {
        try (PbClient client = PbClient.builder().trustCertificates(pem)
                .connect("localhost", port)) {
            return call(client);
        }
    }

    private static String call(PbClient client) throws Exception {
        RemoteReference root = client.getRootObject().get();
        int sum = root.<Integer>callRemote("add", 2, 3).get();
        return "add(2, 3) = " + sum + " from " + client.serverFingerprint().orElseThrow();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        System.out.println(args[1].startsWith("sha256:") ? runPinned(port, args[1])
                : runTrusting(port, Path.of(args[1])));
    }
}
