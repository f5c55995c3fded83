package dev.jpb.examples.tls;

import dev.jpb.TlsIdentity;
import dev.jpb.examples.hello.HelloServer;
import dev.jpb.server.PbServer;
import java.nio.file.Path;

/**
 * The hello calculator on a TLS port (default 8791). Its identity lives in {@code DIR}
 * (default {@code jpb-tls}): made on the first start, loaded on every later one, so the
 * fingerprint clients pin stays the same. Run: {@code TlsServer [PORT [DIR]]}.
 */
public final class TlsServer {
    private TlsServer() {
    }

    /** Loads the identity kept in {@code dir}, or makes one there on the first start. */
    public static TlsIdentity identity(Path dir) {
        return TlsIdentity.loadOrCreateSelfSigned(dir.resolve("server.pem"),
                dir.resolve("server-key.pem"), "localhost", "127.0.0.1");
    }

    /** Starts the calculator on {@code port} (0: any free one), serving TLS as {@code identity}. */
    public static PbServer start(int port, TlsIdentity identity) {
        return HelloServer.configure(PbServer.builder()).tls(identity)
                .bind("127.0.0.1", port).build().start();
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8791;
        Path dir = Path.of(args.length > 1 ? args[1] : "jpb-tls");
        TlsIdentity identity = identity(dir);
        PbServer server = start(port, identity);
        System.out.println("TLS hello server on port " + server.port() + ", identity in " + dir);
        System.out.println("pin it with: TlsClient " + server.port() + " "
                + identity.fingerprint());
        Thread.currentThread().join();
    }
}
