package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.WampError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket's WAMP session: the HELLO/WELCOME handshake, the dispatch switch over message
 * types, and the {@link Peer} the realm writes events, invocations and results through.
 * Inbound messages are handled on the channel's event loop; the realm may call the peer
 * methods from any thread (channel writes are thread-safe).
 */
final class WampSession extends SimpleChannelInboundHandler<WebSocketFrame> implements Peer {
    private static final Logger log = LoggerFactory.getLogger(WampSession.class);

    static final int HELLO = 1;
    static final int WELCOME = 2;
    static final int ABORT = 3;
    static final int GOODBYE = 6;
    static final int ERROR = 8;
    static final int PUBLISH = 16;
    static final int PUBLISHED = 17;
    static final int SUBSCRIBE = 32;
    static final int SUBSCRIBED = 33;
    static final int UNSUBSCRIBE = 34;
    static final int UNSUBSCRIBED = 35;
    static final int EVENT = 36;
    static final int CALL = 48;
    static final int CANCEL = 49;
    static final int RESULT = 50;
    static final int REGISTER = 64;
    static final int REGISTERED = 65;
    static final int UNREGISTER = 66;
    static final int UNREGISTERED = 67;
    static final int INVOCATION = 68;
    static final int INTERRUPT = 69;
    static final int YIELD = 70;

    private final RouterCore core;
    private final FaceSettings settings;
    private final String subprotocol;
    private final WampCodec codec;
    private volatile Channel channel; // written once in handlerAdded
    private volatile Session session; // written on the event loop, read by the realm
    private volatile boolean calleeCancels;
    // guarded by the event loop: the rate limit's window
    private long windowStart;
    private int windowCount;
    private final ArrayDeque<WebSocketFrame> held = new ArrayDeque<>();
    private volatile boolean closing;

    WampSession(RouterCore core, FaceSettings settings, String subprotocol) {
        this.core = core;
        this.settings = settings;
        this.subprotocol = subprotocol;
        this.codec = WampCodec.forSubprotocol(subprotocol);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.channel().closeFuture().addListener(f -> {
            Session s = session;
            if (s != null) {
                s.realm().leave(s);
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (closing) {
            return; // after ABORT or GOODBYE: the rest of what was read is dropped
        }
        if (!held.isEmpty() || !rateAllows()) {
            // past the rate: hold the message and stop reading until the window ends; what
            // is held is bounded by what one socket read brought in
            held.add(frame.retain());
            if (held.size() == 1) {
                ctx.channel().config().setAutoRead(false);
                scheduleDrain(ctx);
            }
            return;
        }
        handle(frame);
    }

    private void scheduleDrain(ChannelHandlerContext ctx) {
        long wait = 1000 - (System.currentTimeMillis() - windowStart);
        ctx.executor().schedule(() -> drain(ctx), Math.max(1, wait), TimeUnit.MILLISECONDS);
    }

    private void drain(ChannelHandlerContext ctx) {
        while (!held.isEmpty() && ctx.channel().isActive() && rateAllows()) {
            WebSocketFrame f = held.poll();
            try {
                handle(f);
            } finally {
                f.release();
            }
        }
        if (!ctx.channel().isActive()) {
            releaseHeld();
        } else if (held.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        } else {
            scheduleDrain(ctx);
        }
    }

    private void releaseHeld() {
        WebSocketFrame f;
        while ((f = held.poll()) != null) {
            f.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        super.channelInactive(ctx);
    }

    private void handle(WebSocketFrame frame) {
        if (closing) {
            return;
        }
        List<Object> msg;
        try {
            msg = codec.decode(frame);
        } catch (WampCodec.BadMessage e) {
            abort("wamp.error.protocol_violation", e.getMessage());
            return;
        }
        try {
            dispatch(msg);
        } catch (Violation v) {
            abort("wamp.error.protocol_violation", v.getMessage());
        } catch (WampError e) {
            abort("wamp.error.protocol_violation", e.getMessage());
        }
    }

    private boolean rateAllows() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= 1000) {
            windowStart = now;
            windowCount = 0;
        }
        if (windowCount >= settings.maxMessagesPerSecond()) {
            return false;
        }
        windowCount++;
        return true;
    }

    /** The one switch over WAMP message types. */
    private void dispatch(List<Object> m) throws Violation {
        int type = (Integer) m.get(0);
        Session s = session;
        if (s == null) {
            if (type == HELLO) {
                handleHello(m);
            } else if (type == ABORT) {
                channel.close();
            } else {
                throw new Violation("message type " + type + " before HELLO; the first message"
                        + " of a session must be HELLO");
            }
            return;
        }
        switch (type) {
            case GOODBYE:
                handleGoodbye(s);
                break;
            case ABORT:
                s.realm().leave(s);
                channel.close();
                break;
            case PUBLISH:
                handlePublish(s, m);
                break;
            case SUBSCRIBE:
                handleSubscribe(s, m);
                break;
            case UNSUBSCRIBE:
                handleUnsubscribe(s, m);
                break;
            case CALL:
                handleCall(s, m);
                break;
            case CANCEL:
                handleCancel(s, m);
                break;
            case REGISTER:
                handleRegister(s, m);
                break;
            case UNREGISTER:
                handleUnregister(s, m);
                break;
            case YIELD:
                handleYield(s, m);
                break;
            case ERROR:
                handleError(s, m);
                break;
            case HELLO:
                throw new Violation("HELLO on a session that is already joined");
            default:
                throw new Violation("message type " + type + " is not one a client sends"
                        + " (or not one this router knows)");
        }
    }

    @SuppressWarnings("unchecked")
    private void handleHello(List<Object> m) throws Violation {
        need(m, 3, "HELLO");
        String realmName = string(m, 1, "HELLO.Realm");
        Map<String, Object> details = dict(m, 2, "HELLO.Details");
        Realm realm = core.realm(realmName);
        if (realm == null) {
            abort("wamp.error.no_such_realm", "no realm " + realmName + " on this router");
            return;
        }
        Map<String, Object> roles = Options.dict(details.get("roles"), "roles");
        Object callee = roles.get("callee");
        if (callee instanceof Map<?, ?>) {
            Object features = ((Map<String, Object>) callee).get("features");
            calleeCancels = features instanceof Map<?, ?>
                    && Boolean.TRUE.equals(((Map<String, Object>) features).get("call_canceling"));
        }
        Map<String, Object> joined = new LinkedHashMap<>();
        Object authid = details.get("authid");
        joined.put("authid", authid instanceof String ? authid
                : "anonymous-" + Long.toHexString(System.nanoTime()));
        joined.put("authrole", "anonymous");
        joined.put("authmethod", "anonymous");
        joined.put("authprovider", "static");
        joined.put("transport", Map.of("type", "websocket", "protocol", subprotocol,
                "peer", String.valueOf(channel.remoteAddress())));
        Session s = realm.join(this, joined);
        session = s;
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("realm", realmName);
        welcome.put("authid", joined.get("authid"));
        welcome.put("authrole", "anonymous");
        welcome.put("authmethod", "anonymous");
        welcome.put("authprovider", "static");
        welcome.put("roles", ROLES);
        send(WELCOME, s.id(), welcome);
    }

    private static final Map<String, Object> ROLES = Map.of(
            "broker", Map.of("features", Map.of(
                    "publisher_identification", true,
                    "publisher_exclusion", true,
                    "subscriber_blackwhite_listing", true,
                    "pattern_based_subscription", true,
                    "session_meta_api", true,
                    "subscription_meta_api", true)),
            "dealer", Map.of("features", Map.of(
                    "caller_identification", true,
                    "pattern_based_registration", true,
                    "shared_registration", true,
                    "call_canceling", true,
                    "call_timeout", true,
                    "progressive_call_results", true,
                    "session_meta_api", true,
                    "registration_meta_api", true)));

    private void handleGoodbye(Session s) {
        closing = true;
        s.realm().leave(s);
        session = null;
        channel.writeAndFlush(codec.encode(msg(GOODBYE, Map.of(), "wamp.close.goodbye_and_out")))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void handlePublish(Session s, List<Object> m) throws Violation {
        need(m, 4, "PUBLISH");
        long request = id(m, 1, "PUBLISH.Request");
        Map<String, Object> options = dict(m, 2, "PUBLISH.Options");
        try {
            long pub = s.realm().publish(s, m.get(3), options, args(m, 4), kwargs(m, 5));
            if (Boolean.TRUE.equals(options.get("acknowledge"))) {
                send(PUBLISHED, request, pub);
            }
        } catch (WampError e) {
            if (Boolean.TRUE.equals(options.get("acknowledge"))) {
                sendError(PUBLISH, request, e);
            }
        }
    }

    private void handleSubscribe(Session s, List<Object> m) throws Violation {
        need(m, 4, "SUBSCRIBE");
        long request = id(m, 1, "SUBSCRIBE.Request");
        try {
            send(SUBSCRIBED, request, s.realm().subscribe(s, m.get(3),
                    dict(m, 2, "SUBSCRIBE.Options")));
        } catch (WampError e) {
            sendError(SUBSCRIBE, request, e);
        }
    }

    private void handleUnsubscribe(Session s, List<Object> m) throws Violation {
        need(m, 3, "UNSUBSCRIBE");
        long request = id(m, 1, "UNSUBSCRIBE.Request");
        try {
            s.realm().unsubscribe(s, id(m, 2, "UNSUBSCRIBE.Subscription"));
            send(UNSUBSCRIBED, request);
        } catch (WampError e) {
            sendError(UNSUBSCRIBE, request, e);
        }
    }

    private void handleCall(Session s, List<Object> m) throws Violation {
        need(m, 4, "CALL");
        s.realm().call(s, id(m, 1, "CALL.Request"), m.get(3), dict(m, 2, "CALL.Options"),
                args(m, 4), kwargs(m, 5));
    }

    private void handleCancel(Session s, List<Object> m) throws Violation {
        need(m, 3, "CANCEL");
        long request = id(m, 1, "CANCEL.Request");
        try {
            s.realm().cancel(s, request, dict(m, 2, "CANCEL.Options"));
        } catch (WampError e) {
            sendError(CALL, request, e);
        }
    }

    private void handleRegister(Session s, List<Object> m) throws Violation {
        need(m, 4, "REGISTER");
        long request = id(m, 1, "REGISTER.Request");
        try {
            send(REGISTERED, request, s.realm().register(s, m.get(3),
                    dict(m, 2, "REGISTER.Options")));
        } catch (WampError e) {
            sendError(REGISTER, request, e);
        }
    }

    private void handleUnregister(Session s, List<Object> m) throws Violation {
        need(m, 3, "UNREGISTER");
        long request = id(m, 1, "UNREGISTER.Request");
        try {
            s.realm().unregister(s, id(m, 2, "UNREGISTER.Registration"));
            send(UNREGISTERED, request);
        } catch (WampError e) {
            sendError(UNREGISTER, request, e);
        }
    }

    private void handleYield(Session s, List<Object> m) throws Violation {
        need(m, 3, "YIELD");
        s.realm().yield(s, id(m, 1, "YIELD.Request"), dict(m, 2, "YIELD.Options"), args(m, 3),
                kwargs(m, 4));
    }

    private void handleError(Session s, List<Object> m) throws Violation {
        need(m, 5, "ERROR");
        if (!Integer.valueOf(INVOCATION).equals(m.get(1))) {
            throw new Violation("a client sends ERROR only in answer to INVOCATION");
        }
        dict(m, 3, "ERROR.Details");
        String uri = string(m, 4, "ERROR.Error");
        s.realm().invocationError(s, id(m, 2, "ERROR.Request"),
                new WampError(uri, args(m, 5), kwargs(m, 6)));
    }

    // ---- Peer

    @Override
    public boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        Channel ch = channel;
        if (!ch.isActive()) {
            return true;
        }
        if (!ch.isWritable()) {
            return false;
        }
        write(withPayload(msg(EVENT, subscriptionId, publicationId, details), args, kwargs));
        return true;
    }

    @Override
    public void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        write(withPayload(msg(INVOCATION, requestId, registrationId, details), args, kwargs));
    }

    @Override
    public boolean canInterrupt() {
        return calleeCancels;
    }

    @Override
    public void interrupt(long requestId, CancelMode mode) {
        write(msg(INTERRUPT, requestId, Map.of("mode", mode.wireName())));
    }

    @Override
    public void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        write(withPayload(msg(RESULT, requestId, details), args, kwargs));
    }

    @Override
    public void callError(long requestId, WampError error) {
        sendError(CALL, requestId, error);
    }

    @Override
    public void kill(String reasonUri, String message) {
        session = null;
        Channel ch = channel;
        // close at once, not after the write: a slow subscriber may never read the GOODBYE
        ch.writeAndFlush(codec.encode(msg(GOODBYE, Map.of("message", message), reasonUri)));
        ch.close();
    }

    @Override
    public void subscriptionRevoked(long subscriptionId, String reasonUri) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subscription", subscriptionId);
        if (reasonUri != null) {
            details.put("reason", reasonUri);
        }
        send(UNSUBSCRIBED, 0L, details); // request 0: the router revoked it (WAMP 2, 14.4.3)
    }

    @Override
    public void registrationRevoked(long registrationId, String reasonUri) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("registration", registrationId);
        if (reasonUri != null) {
            details.put("reason", reasonUri);
        }
        send(UNREGISTERED, 0L, details);
    }

    // ---- writing

    private void send(Object... parts) {
        write(msg(parts));
    }

    private void sendError(int requestType, long request, WampError e) {
        write(withPayload(msg(ERROR, requestType, request, Map.of(), e.uri()), e.args(),
                e.kwargs()));
    }

    private void write(List<Object> message) {
        WebSocketFrame frame;
        try {
            frame = codec.encode(message);
        } catch (IllegalArgumentException e) {
            log.warn("cannot encode a message for {}: {}", session, e.getMessage());
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Sends ABORT and closes: for broken or forbidden messages, never a crash. */
    private void abort(String reason, String message) {
        closing = true;
        log.info("aborting WAMP session on {}: {} ({})", channel.remoteAddress(), reason,
                message);
        Session s = session;
        session = null;
        if (s != null) {
            s.realm().leave(s);
        }
        channel.writeAndFlush(codec.encode(msg(ABORT, Map.of("message", message), reason)))
                .addListener(ChannelFutureListener.CLOSE);
        // a peer that does not read may never take the ABORT: close anyway
        channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException) {
            log.info("closing WebSocket {}: {}", ctx.channel().remoteAddress(),
                    cause.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "message larger than " + settings.maxMessageBytes() + " bytes"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (cause instanceof java.io.IOException) {
            log.debug("WebSocket {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("closing WebSocket {} after an unexpected error",
                    ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.ServerHandshakeStateEvent) {
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    static List<Object> msg(Object... parts) {
        return new ArrayList<>(Arrays.asList(parts));
    }

    private static List<Object> withPayload(List<Object> m, List<Object> args,
            Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) {
            m.add(args);
            m.add(kwargs);
        } else if (!args.isEmpty()) {
            m.add(args);
        }
        return m;
    }

    // ---- reading parts, each failure a protocol violation naming the part

    /** A message that breaks WAMP's rules: the session is aborted. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    private static void need(List<Object> m, int n, String what) throws Violation {
        if (m.size() < n) {
            throw new Violation(what + " needs at least " + n + " elements, got " + m.size());
        }
    }

    private static long id(List<Object> m, int i, String what) throws Violation {
        Object o = m.get(i);
        if ((o instanceof Integer || o instanceof Long) && ((Number) o).longValue() >= 0
                && ((Number) o).longValue() <= Realm.MAX_ID) {
            return ((Number) o).longValue();
        }
        throw new Violation(what + " must be an id (an integer in [0, 2^53]), got " + o);
    }

    private static String string(List<Object> m, int i, String what) throws Violation {
        Object o = m.get(i);
        if (o instanceof String) {
            return (String) o;
        }
        throw new Violation(what + " must be a string, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(List<Object> m, int i, String what)
            throws Violation {
        Object o = m.get(i);
        if (o instanceof Map<?, ?>) {
            return (Map<String, Object>) o;
        }
        throw new Violation(what + " must be a dictionary, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(List<Object> m, int i) throws Violation {
        if (m.size() <= i || m.get(i) == null) {
            return new ArrayList<>();
        }
        if (m.get(i) instanceof List<?>) {
            return (List<Object>) m.get(i);
        }
        throw new Violation("Arguments must be a list, got " + m.get(i));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kwargs(List<Object> m, int i) throws Violation {
        if (m.size() <= i || m.get(i) == null) {
            return new LinkedHashMap<>();
        }
        if (m.get(i) instanceof Map<?, ?>) {
            return (Map<String, Object>) m.get(i);
        }
        throw new Violation("ArgumentsKw must be a dictionary, got " + m.get(i));
    }
}
