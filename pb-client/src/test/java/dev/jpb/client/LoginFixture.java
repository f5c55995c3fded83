package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the login tests share: the users alice and bob with their passwords, one server per
 * test, the clients connected to it over 127.0.0.1, and waiting for futures. Register it on an
 * instance field with {@code @RegisterExtension}; after each test it closes the clients, then
 * the server.
 */
final class LoginFixture implements AfterEachCallback {
    static final char[] ALICE_PASSWORD = "correct horse".toCharArray();
    static final char[] BOB_PASSWORD = "battery staple".toCharArray();

    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private volatile PbServer server;

    /** {@return a new credential store with alice and bob} */
    static Passwords users() {
        return Passwords.create().add("alice", ALICE_PASSWORD).add("bob", BOB_PASSWORD);
    }

    /** Builds and starts the test's server (closed after the test); returns it. */
    PbServer start(PbServer.Builder builder) {
        server = builder.build().start();
        return server;
    }

    /** {@return the test's server} */
    PbServer server() {
        return server;
    }

    /** Connects a plaintext client with default settings to the test's server. */
    PbClient client() {
        return client(b -> { });
    }

    /** Connects a client whose builder {@code options} configured to the test's server. */
    PbClient client(Consumer<PbClient.Builder> options) {
        PbClient.Builder builder = PbClient.builder();
        options.accept(builder);
        PbClient c = builder.connect("127.0.0.1", server.port());
        clients.add(c);
        return c;
    }

    /** Waits at most 10 s for {@code f}. */
    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Waits for {@code f} to fail and returns why. */
    static Throwable failure(CompletableFuture<?> f) {
        Throwable thrown = catchThrowable(() -> get(f));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(PbClient::close);
        clients.clear();
        PbServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
