package dev.jpb.benchmarks;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.internal.transport.Transport;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W9: the time to log in from nothing: a new TCP connection, the TLS handshake (a pinned
 * server identity, {@link TlsBench}), the jpb hello and a SCRAM-SHA-256 login at 4096
 * iterations (the PBKDF2 work is the client's; the server holds the verifier), then close.
 * {@code connectTls} is the same without the login, so the difference is what SCRAM and the
 * realm cost. {@code loginWrongPasswordTls} and {@code loginUnknownUserTls} time a failed login
 * the same way (a wrong password for {@code alice}, and a user that does not exist): the two
 * should take about as long, so that the time does not tell a caller which names exist.
 * Clients share one I/O thread and one executor, as many clients in one process
 * would, so that making threads is not what is timed.
 */
@State(Scope.Benchmark)
public class W9Login {
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    static final char[] WRONG_PASSWORD = "correct horse battery stapler".toCharArray();

    PbServer server;
    EventLoopGroup group;
    ExecutorService executor;

    /** A user's avatar with one method. */
    public static final class User extends Avatar {
        /** Answers. */
        public int perspective_add(int a, int b) {
            return a + b;
        }
    }

    /** Starts a TLS server with a realm and one user. */
    @Setup(Level.Trial)
    public void start() {
        server = PbServer.builder()
                .realm((String id, RemoteReference mind, Connection c) -> new User())
                .passwords(Passwords.create().add("alice", PASSWORD))
                .tls(TlsBench.IDENTITY)
                .bind("127.0.0.1", 0)
                .build()
                .start();
        group = Transport.newEventLoopGroup(1, "w9-client-io");
        executor = Executors.newCachedThreadPool();
    }

    /** Stops the server and the clients' threads. */
    @TearDown(Level.Trial)
    public void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdownNow();
    }

    PbClient connectClient() {
        return PbClient.builder().eventLoopGroup(group).executor(executor)
                .pinServer(TlsBench.IDENTITY.fingerprint()).connect("127.0.0.1", server.port());
    }

    /** Connect + TLS + hello + SCRAM login + close, timed per login. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object loginTls() throws Exception {
        try (PbClient client = connectClient()) {
            return client.login("alice", PASSWORD, null).get(10, TimeUnit.SECONDS);
        }
    }

    /** Connect + TLS + hello + a SCRAM login with a wrong password + close, timed per try. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object loginWrongPasswordTls() throws Exception {
        return failedLogin("alice", WRONG_PASSWORD);
    }

    /** The same with a user that does not exist (and the right password of another). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object loginUnknownUserTls() throws Exception {
        return failedLogin("mallory", PASSWORD);
    }

    private Object failedLogin(String user, char[] password) throws Exception {
        try (PbClient client = connectClient()) {
            client.login(user, password, null).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LoginFailedException failed) {
                return failed;
            }
            throw e;
        }
        throw new IllegalStateException(user + " logged in with a wrong password");
    }

    /** Connect + TLS + hello + close: the baseline without the login. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object connectTls() {
        try (PbClient client = connectClient()) {
            return client.connection();
        }
    }
}
