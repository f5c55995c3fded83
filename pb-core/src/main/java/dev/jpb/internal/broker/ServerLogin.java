package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.NotLoggedInException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.dispatch.Dispatch;
import dev.jpb.internal.dispatch.Invoker;
import dev.jpb.internal.login.FailedLogins;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.login.ScramServerExchange;
import dev.jpb.internal.metrics.LoginKinds;
import dev.jpb.internal.transport.Transport;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The serving side of login on one connection (docs/protocol.md §13.2): runs the SCRAM
 * exchange of LOGIN and LOGIN_PROOF frames, asks the realm for the avatar, keeps the
 * connection's one session and ends it (its avatar's {@code loggedOut}, exactly once) on
 * LOGOUT, on a new login, when the peer releases the perspective, or when the connection closes.
 * It also supplies the caller's avatar to {@code view_} methods and refuses {@code perspective_}
 * calls on an avatar that is not the connection's current one.
 *
 * <p>Frames arrive on the event loop; the exchange and the realm run on the application's
 * executor, one login frame at a time in arrival order. Thread-safe.
 */
final class ServerLogin {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Method LOGGED_OUT = loggedOutMethod();

    final Broker broker;
    final LoginService service; // null: this end does not serve login
    private final SerialExecutor serial; // the login frames, in order
    // Held by each login step: a step that blocks on a jpb future (a realm calling the mind)
    // gives up its serial turn, and the next step must still not run beside it.
    private final Object steps = new Object();
    private final FailedLogins failures; // guarded by steps
    private ScramServerExchange exchange; // guarded by steps
    private volatile Session session; // written under this
    private boolean closed; // guarded by this

    ServerLogin(Broker broker) {
        this.broker = broker;
        this.service = broker.config.login();
        this.serial = new SerialExecutor(broker.config.executor(), (task, e) -> {
            Broker.log.warn("{}: the executor refused a login step ({}); running it on jpb's"
                    + " fallback threads", broker, e.toString());
            Transport.fallbackExecutor().execute(task);
        });
        this.failures = new FailedLogins(service == null ? 1 : service.maxFailedLogins());
    }

    private static Method loggedOutMethod() {
        try {
            Method m = Avatar.class.getDeclaredMethod("loggedOut", Connection.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- frames, on the event loop

    /** A LOGIN frame; returns whether {@code body} was handed off (an anonymous mind). */
    boolean onLogin(Frame.Login l, ByteBuf body) {
        assert broker.channel.eventLoop().inEventLoop();
        if (service == null) {
            String mechanism = LoginKinds.ofMechanism(l.mechanism());
            broker.metrics.loginStarted(mechanism);
            broker.metrics.loginFailed(mechanism, LoginKinds.NOT_OFFERED);
            notOffered(l.requestId());
            return false;
        }
        if (LoginService.ANONYMOUS.equals(l.mechanism())) {
            broker.exports.pin();
            serial.execute(step(l.requestId(), () -> anonymous(l.requestId(), body)));
            return true;
        }
        if (LoginService.EXTERNAL.equals(l.mechanism())) {
            broker.exports.pin();
            serial.execute(step(l.requestId(), () -> ServerCertificateLogin.serve(this,
                    l.requestId(), body)));
            return true;
        }
        if (!LoginService.SCRAM.equals(l.mechanism()) || l.clientFirst() == null) {
            broker.metrics.loginStarted(LoginKinds.PASSWORD);
            broker.metrics.loginFailed(LoginKinds.PASSWORD, LoginKinds.PROTOCOL);
            throw new ProtocolException("LOGIN with mechanism " + shorten(l.mechanism())
                    + (l.clientFirst() == null ? " and no client-first message" : "")
                    + " (expected: SCRAM-SHA-256 with client-first, ANONYMOUS or EXTERNAL)");
        }
        serial.execute(step(l.requestId(), () -> challenge(l.requestId(), l.clientFirst())));
        return false;
    }

    /** A LOGIN_PROOF frame; {@code body} (at the mind) is handed off. */
    boolean onProof(Frame.LoginProof p, ByteBuf body) {
        assert broker.channel.eventLoop().inEventLoop();
        if (service == null) {
            notOffered(p.requestId());
            return false;
        }
        broker.exports.pin();
        serial.execute(step(p.requestId(), () -> proof(p, body)));
        return true;
    }

    /** A LOGOUT frame: ends the session (if any) and answers null. */
    void onLogout(Frame.Logout l) {
        assert broker.channel.eventLoop().inEventLoop();
        serial.execute(step(l.requestId(), () -> {
            Session s = endCurrent();
            if (s != null) {
                Broker.log.info("{}: '{}' logged out", broker, s.avatarId);
            }
            if (l.requestId() != 0) {
                broker.outbox.enqueue(new Outbound.Answer(l.requestId(), null));
            }
        }));
    }

    /** The peer gave back its last reference to {@code avatar} (a DECREF). */
    void released(Avatar avatar) {
        assert broker.channel.eventLoop().inEventLoop();
        Session s = session;
        if (s != null && s.avatar == avatar && s.sent) {
            serial.execute(() -> {
                if (end(s)) {
                    Broker.log.info("{}: '{}' released the perspective; session ended", broker,
                            s.avatarId);
                }
            });
        }
    }

    /** The connection is gone: the session ends. */
    void onClosed() {
        Session s;
        synchronized (this) {
            closed = true;
            s = session;
            session = null;
        }
        if (s != null) {
            s.end();
        }
    }

    // ---- dispatch, on the thread serving a call

    /**
     * Returns the arguments of a call of {@code invoker} on {@code target}: for a
     * {@code view_} method the session's avatar first, then {@code args}.
     *
     * @throws NotLoggedInException for a {@code view_} method without a session, or a
     *     {@code perspective_} method of an avatar that is not this connection's session's
     */
    Object[] arguments(Referenceable target, Invoker invoker, Object[] args) {
        if (target instanceof Avatar) {
            Session s = session;
            if (s == null || s.avatar != target) {
                throw new NotLoggedInException("the session of this perspective on " + broker
                        + " has ended (logout, release, or a new login); log in again and"
                        + " call the new perspective");
            }
            return args;
        }
        if (!Dispatch.takesCaller(invoker)) {
            return args;
        }
        Session s = session;
        if (s == null) {
            throw new NotLoggedInException("view_" + invoker.name() + " needs a logged-in"
                    + " caller, and " + broker + " has no session; log in first"
                    + " (PbClient.login) and call again");
        }
        Object[] withCaller = new Object[args.length + 1];
        withCaller[0] = s.avatar;
        System.arraycopy(args, 0, withCaller, 1, args.length);
        return withCaller;
    }

    /** Returns the current session's avatar, or null. */
    Avatar avatar() {
        Session s = session;
        return s == null ? null : s.avatar;
    }

    /** Returns the current session's avatar id (the authenticated user), or null. */
    String avatarId() {
        Session s = session;
        return s == null ? null : s.avatarId;
    }

    // ---- the steps, in serial tasks

    private void anonymous(long requestId, ByteBuf body) {
        broker.metrics.loginStarted(LoginKinds.ANONYMOUS);
        RemoteReference mind;
        try {
            mind = decodeMind(body);
        } catch (PbException e) {
            broker.metrics.loginFailed(LoginKinds.ANONYMOUS, LoginKinds.PROTOCOL);
            broker.violation("LOGIN (anonymous): " + e.getMessage());
            answerFailure(requestId, new PbError(e.getMessage()));
            return;
        }
        if (service.anonymousAvatarId() == null) {
            release(mind);
            failed(requestId, LoginKinds.ANONYMOUS, LoginKinds.NOT_ALLOWED, "(anonymous)",
                    "anonymous logins are not allowed",
                    new LoginFailedException("this server does not allow anonymous logins;"
                            + " log in with a user name and password"));
            return;
        }
        succeed(requestId, service.anonymousAvatarId(), mind, null, LoginKinds.ANONYMOUS);
    }

    /** A login step that answers its request with what it throws, rather than hanging it. */
    private Runnable step(long requestId, Runnable step) {
        return () -> {
            try {
                synchronized (steps) {
                    step.run();
                }
            } catch (RuntimeException | Error e) {
                Broker.log.error("{}: login step for request {} failed", broker, requestId, e);
                answerFailure(requestId, e);
            }
        };
    }

    private void challenge(long requestId, String clientFirst) {
        broker.metrics.loginStarted(LoginKinds.PASSWORD);
        exchange = null;
        if (service.verifiers() == null) {
            failed(requestId, LoginKinds.PASSWORD, LoginKinds.NOT_ALLOWED, "(password login)",
                    "this server takes anonymous logins only",
                    new LoginFailedException("this server takes anonymous logins only; log in"
                            + " with PbClient.loginAnonymously"));
            return;
        }
        ScramServerExchange ex = new ScramServerExchange(service.verifiers(), service.fakes(),
                RANDOM);
        String serverFirst;
        try {
            serverFirst = ex.serverFirst(clientFirst);
        } catch (ProtocolException e) {
            broker.metrics.loginFailed(LoginKinds.PASSWORD, LoginKinds.PROTOCOL);
            closeFor(e.getMessage());
            return;
        } catch (RuntimeException e) {
            Broker.log.error("{}: the credential store failed for user '{}'", broker,
                    shorten(ex.username()), e);
            failed(requestId, LoginKinds.PASSWORD, LoginKinds.SERVER_ERROR, ex.username(),
                    "the credential store failed: " + e,
                    new LoginFailedException());
            return;
        }
        exchange = ex;
        broker.outbox.enqueue(new Outbound.Custom(requestId,
                out -> FrameCodec.write(out, new Frame.LoginChallenge(requestId, serverFirst)),
                null));
    }

    private void proof(Frame.LoginProof p, ByteBuf body) {
        RemoteReference mind;
        try {
            mind = decodeMind(body);
        } catch (PbException e) {
            exchange = null;
            broker.metrics.loginFailed(LoginKinds.PASSWORD, LoginKinds.PROTOCOL);
            broker.violation("LOGIN_PROOF: " + e.getMessage());
            answerFailure(p.requestId(), new PbError(e.getMessage()));
            return;
        }
        ScramServerExchange ex = exchange;
        exchange = null;
        if (ex == null || p.clientFinal() == null) {
            release(mind);
            broker.metrics.loginFailed(LoginKinds.PASSWORD, LoginKinds.PROTOCOL);
            closeFor(ex == null ? "LOGIN_PROOF without a LOGIN_CHALLENGE before it"
                    : "LOGIN_PROOF without a client-final message");
            return;
        }
        String serverFinal;
        try {
            serverFinal = ex.serverFinal(p.clientFinal());
        } catch (LoginFailedException e) {
            release(mind);
            failed(p.requestId(), LoginKinds.PASSWORD, LoginKinds.BAD_CREDENTIALS, ex.username(),
                    ex.failureReason(), new LoginFailedException());
            return;
        } catch (ProtocolException e) {
            release(mind);
            broker.metrics.loginFailed(LoginKinds.PASSWORD, LoginKinds.PROTOCOL);
            closeFor(e.getMessage());
            return;
        }
        succeed(p.requestId(), ex.username(), mind, serverFinal, LoginKinds.PASSWORD);
    }

    RemoteReference decodeMind(ByteBuf body) {
        Object value;
        try {
            value = broker.decodeValues(body, 1)[0];
        } finally {
            body.release();
            broker.exports.unpin();
        }
        if (value == null || value instanceof RemoteReference) {
            return (RemoteReference) value;
        }
        throw new ProtocolException("the mind of a login must be a reference to the client's"
                + " own object, or null; got " + value.getClass().getName());
    }

    void succeed(long requestId, String avatarId, RemoteReference mind, String serverFinal,
            String mechanism) {
        Connection connection = broker.connection();
        Avatar avatar;
        Connection previous = CurrentCall.enter(connection);
        try {
            avatar = requireNonNull(service.avatars().requestAvatar(avatarId, mind, connection),
                    "Realm.requestAvatar returned null");
        } catch (Throwable t) {
            Broker.log.error("{}: the realm failed for '{}'", broker, avatarId, t);
            broker.metrics.loginFailed(mechanism, LoginKinds.SERVER_ERROR);
            release(mind);
            answerFailure(requestId, t);
            return;
        } finally {
            CurrentCall.exit(previous);
        }
        failures.succeeded();
        Session fresh = new Session(avatar, avatarId);
        Session old;
        boolean gone;
        synchronized (this) {
            old = session;
            gone = closed;
            session = gone ? null : fresh;
        }
        if (old != null) {
            old.end();
            Broker.log.info("{}: '{}' replaced by a new login", broker, old.avatarId);
        }
        if (gone) {
            broker.metrics.loginFailed(mechanism, LoginKinds.CLOSED);
            fresh.end();
            return;
        }
        broker.metrics.loginSucceeded(mechanism);
        Broker.log.info("{}: '{}' logged in", broker, avatarId);
        broker.outbox.enqueue(new Outbound.Custom(requestId, out -> {
            FrameCodec.write(out, new Frame.LoginOk(requestId, serverFinal));
            broker.config.codec().write(out, new Object[] {avatar}, broker.session);
            fresh.sent = true;
        }, null));
    }

    void failed(long requestId, String mechanism, String kind, String username,
            String reason, PbError error) {
        broker.metrics.loginFailed(mechanism, kind);
        boolean close = failures.failed();
        Broker.log.warn("{}: login failed for user '{}': {} ({} in a row)", broker,
                shorten(username), reason, failures.inARow());
        answerFailure(requestId, error);
        if (close) {
            Broker.log.warn("{}: closing after {} failed logins in a row (maxFailedLogins)",
                    broker, failures.inARow());
            // After the drain that writes the ERROR above: queued behind it on the loop.
            broker.channel.eventLoop().execute(() -> broker.channel.close());
        }
    }

    void answerFailure(long requestId, Throwable error) {
        if (requestId != 0) {
            broker.outbox.enqueue(new Outbound.Failure(requestId, error));
        }
    }

    private void notOffered(long requestId) {
        answerFailure(requestId, new PbError("this end does not offer login; build the server"
                + " with PbServer.builder().realm(realm).passwords(passwords)"));
    }

    private void closeFor(String reason) {
        Broker.log.warn("{}: closing: login protocol violation: {}", broker, reason);
        broker.close();
    }

    static void release(RemoteReference mind) {
        if (mind != null) {
            mind.release();
        }
    }

    private Session endCurrent() {
        Session s;
        synchronized (this) {
            s = session;
            session = null;
        }
        if (s != null) {
            s.end();
        }
        return s;
    }

    /** Ends {@code s} if it is still the current session; returns whether it was. */
    private boolean end(Session s) {
        synchronized (this) {
            if (session != s) {
                return false;
            }
            session = null;
        }
        s.end();
        return true;
    }

    /** A peer-supplied name for the log: short, printable. */
    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 64 ? sb.append("...").toString() : sb.toString();
    }

    /** One login on this connection: its avatar, ended once. */
    private final class Session {
        final Avatar avatar;
        final String avatarId;
        volatile boolean sent; // the LOGIN_OK carrying the perspective was encoded
        private final AtomicBoolean ended = new AtomicBoolean();

        Session(Avatar avatar, String avatarId) {
            this.avatar = avatar;
            this.avatarId = avatarId;
        }

        void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            Connection connection = broker.connection();
            broker.runUserCode(() -> {
                try {
                    LOGGED_OUT.invoke(avatar, connection);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("loggedOut threw", e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }, "loggedOut of '" + avatarId + "'");
        }
    }
}
