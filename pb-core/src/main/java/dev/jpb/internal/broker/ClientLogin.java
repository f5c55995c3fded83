package dev.jpb.internal.broker;

import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.ServerAuthenticationException;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.login.ScramClientExchange;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongFunction;

/**
 * The logging-in side of login (docs/protocol.md §13.2): sends LOGIN, answers the server's
 * LOGIN_CHALLENGE with LOGIN_PROOF (and the mind), checks the server's signature in LOGIN_OK
 * and yields the perspective. Each request frame has its own request id among the broker's
 * pending calls, so an ERROR answering it (a {@code LoginFailedException}) fails it like a
 * call. The PBKDF2 work runs where answers are completed, never on the event loop. Stateless.
 */
final class ClientLogin {
    private ClientLogin() {
    }

    /** Logs in with a SCRAM exchange (made by the caller, who may read its keys after). */
    static CompletableFuture<RemoteReference> login(Broker broker, ScramClientExchange exchange,
            Referenceable mind) {
        CompletableFuture<RemoteReference> result = new CompletableFuture<>();
        if (!offered(broker, result)) {
            return result;
        }
        String clientFirst;
        try {
            clientFirst = exchange.clientFirst();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        send(broker, true, id -> out -> FrameCodec.write(out,
                new Frame.Login(id, LoginService.SCRAM, clientFirst)))
                .whenComplete((serverFirst, t) -> {
                    if (t != null) {
                        result.completeExceptionally(unwrap(t));
                        return;
                    }
                    if (!(serverFirst instanceof String)) { // not a LOGIN_CHALLENGE
                        if (serverFirst instanceof Ok early) {
                            early.perspective().discard();
                        }
                        broker.violation("a LOGIN answered by something other than"
                                + " LOGIN_CHALLENGE");
                        result.completeExceptionally(new ProtocolException("the server"
                                + " answered LOGIN with something other than LOGIN_CHALLENGE"));
                        return;
                    }
                    String clientFinal;
                    try {
                        clientFinal = exchange.clientFinal((String) serverFirst);
                    } catch (ProtocolException e) {
                        Broker.log.warn("{}: closing: {}", broker, e.getMessage());
                        broker.close();
                        result.completeExceptionally(e);
                        return;
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                        return;
                    }
                    send(broker, true, id -> out -> {
                        FrameCodec.write(out, new Frame.LoginProof(id, clientFinal));
                        broker.config.codec().write(out, new Object[] {mind}, broker.session);
                    }).whenComplete((ok, t2) -> finish(broker, exchange, ok, t2, result));
                });
        return result;
    }

    /** Logs in anonymously: one LOGIN carrying the mind, answered by LOGIN_OK or ERROR. */
    static CompletableFuture<RemoteReference> anonymous(Broker broker, Referenceable mind) {
        return withoutSecret(broker, LoginService.ANONYMOUS, mind);
    }

    /**
     * Logs in as the client certificate this end presented in the TLS handshake (mechanism
     * EXTERNAL, docs/protocol.md §13.3): one LOGIN carrying the mind, answered by LOGIN_OK or
     * ERROR.
     */
    static CompletableFuture<RemoteReference> certificate(Broker broker, Referenceable mind) {
        return withoutSecret(broker, LoginService.EXTERNAL, mind);
    }

    private static CompletableFuture<RemoteReference> withoutSecret(Broker broker,
            String mechanism, Referenceable mind) {
        CompletableFuture<RemoteReference> result = new CompletableFuture<>();
        if (!offered(broker, result)) {
            return result;
        }
        send(broker, true, id -> out -> {
            FrameCodec.write(out, new Frame.Login(id, mechanism, null));
            broker.config.codec().write(out, new Object[] {mind}, broker.session);
        }).whenComplete((ok, t) -> finish(broker, null, ok, t, result));
        return result;
    }

    /** Ends the session; completes when the server has ended it. */
    static CompletableFuture<Void> logout(Broker broker) {
        return send(broker, false, id -> out -> FrameCodec.write(out, new Frame.Logout(id)))
                .thenApply(v -> null);
    }

    // ---- frames the server sends, on the event loop

    /** A LOGIN_CHALLENGE: completes the LOGIN request with the server-first message. */
    static void onChallenge(Broker broker, Frame.LoginChallenge c) {
        assert broker.channel.eventLoop().inEventLoop();
        PbFuture<Object> f = broker.loginRequests.remove(c.requestId())
                ? broker.pending.remove(c.requestId()) : null;
        if (f == null) {
            broker.violation("login challenge for request " + c.requestId()
                    + ", which is not a pending login");
            return;
        }
        if (c.serverFirst() == null) {
            f.deliver(null, new ProtocolException("LOGIN_CHALLENGE without a server-first"
                    + " message"), broker.completions);
            return;
        }
        f.deliver(c.serverFirst(), null, broker.completions);
    }

    /** A LOGIN_OK: completes the request with the signature and the undecoded perspective. */
    static boolean onOk(Broker broker, Frame.LoginOk o, ByteBuf body) {
        assert broker.channel.eventLoop().inEventLoop();
        PbFuture<Object> f = broker.loginRequests.remove(o.requestId())
                ? broker.pending.remove(o.requestId()) : null;
        if (f == null) {
            broker.violation("login answer for request " + o.requestId()
                    + ", which is not a pending login");
            return false;
        }
        broker.exports.pin();
        f.deliver(new Ok(o.serverFinal(), new EncodedAnswer(broker, body, null)), null,
                broker.completions);
        return true;
    }

    // ---- helpers

    private static boolean offered(Broker broker, CompletableFuture<?> result) {
        if (!broker.peerOffersLogin()) {
            result.completeExceptionally(new PbException("this server does not offer login"
                    + " (its hello lacks the LOGIN feature bit): it was built without"
                    + " PbServer.builder().realm(...), or is older than jpb protocol 1.1;"
                    + " use getRootObject() instead"));
            return false;
        }
        return true;
    }

    /** Sends a request frame; a {@code login} one may be answered by login frames. */
    private static PbFuture<Object> send(Broker broker, boolean login,
            LongFunction<Outbound.FrameWriter> frame) {
        PbFuture<Object> f = PbFuture.forCall();
        if (!broker.isOpen()) {
            f.completeExceptionally(new DeadReferenceException(broker
                    + " is closed; reconnect to log in"));
            return f;
        }
        long id = broker.pending.add(f);
        if (login) {
            broker.loginRequests.add(id);
            f.whenComplete((v, t) -> broker.loginRequests.remove(id));
        }
        broker.outbox.enqueue(new Outbound.Custom(id, frame.apply(id), f));
        if (!broker.isOpen()) {
            broker.failPending(id, new ConnectionLostException("connection closed"));
        }
        return f;
    }

    private static void finish(Broker broker, ScramClientExchange exchange, Object ok,
            Throwable t, CompletableFuture<RemoteReference> result) {
        if (t != null) {
            result.completeExceptionally(unwrap(t));
            return;
        }
        if (!(ok instanceof Ok answer)) { // an ANSWER where LOGIN_OK belongs
            broker.violation("a login proof answered by something other than LOGIN_OK");
            result.completeExceptionally(new ProtocolException("the server answered the login"
                    + " proof with something other than LOGIN_OK"));
            return;
        }
        if (exchange != null) {
            try {
                if (answer.serverFinal() == null) {
                    throw new ServerAuthenticationException("the server accepted the login"
                            + " without its SCRAM signature, so it did not prove it holds this"
                            + " user's verifier; check the address and pin its TLS fingerprint");
                }
                exchange.verifyServerFinal(answer.serverFinal());
            } catch (RuntimeException e) {
                answer.perspective().discard();
                Broker.log.warn("{}: closing: {}", broker, e.getMessage());
                broker.close();
                result.completeExceptionally(e);
                return;
            }
        }
        answer.perspective().decode();
        if (answer.perspective().error() != null) {
            result.completeExceptionally(answer.perspective().error());
            return;
        }
        Object value = answer.perspective().value();
        if (!(value instanceof RemoteReference perspective)) {
            broker.violation("LOGIN_OK without a perspective reference");
            result.completeExceptionally(new ProtocolException("the server's LOGIN_OK carried "
                    + (value == null ? "null" : value.getClass().getName())
                    + " instead of a reference to the avatar"));
            return;
        }
        result.complete(perspective);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A LOGIN_OK as read on the event loop: decoded by the thread that completes the login. */
    private record Ok(String serverFinal, EncodedAnswer perspective) {
    }
}
