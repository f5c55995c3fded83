package dev.jpb.internal.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jpb.router.CallResult;
import dev.jpb.router.WampError;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on the port that is plain HTTP: the bridge ({@code POST /publish},
 * {@code POST /call}), the static files, and turning a finished WebSocket upgrade into a
 * {@link WampSession}.
 */
final class HttpFront extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpFront.class);
    static final String BUILTIN_STATIC = "dev/jpb/router/web/";

    private final RouterCore core;
    private final FaceSettings settings;
    private final Bridges bridges;

    /** One bridge session per realm, shared by the endpoint's connections. */
    static final class Bridges {
        private final Map<String, BridgePeer> peers = new LinkedHashMap<>();

        synchronized BridgePeer forRealm(Realm realm) {
            return peers.computeIfAbsent(realm.name(), n -> new BridgePeer(realm));
        }
    }

    HttpFront(RouterCore core, FaceSettings settings, Bridges bridges) {
        this.core = core;
        this.settings = settings;
        this.bridges = bridges;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            String sub = ((WebSocketServerProtocolHandler.HandshakeComplete) evt)
                    .selectedSubprotocol();
            if (WampCodec.forSubprotocol(sub) == null) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR,
                        "ask for subprotocol wamp.2.json or wamp.2.msgpack"))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().addLast("wamp", new WampSession(core, settings, sub));
            ctx.pipeline().remove(this);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, error("wamp.error.invalid_argument",
                    "malformed HTTP request"));
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/publish") || path.equals("/call")) {
            if (!HttpMethod.POST.equals(req.method())) {
                respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error(
                        "wamp.error.invalid_argument", path + " takes POST with a JSON body"));
                return;
            }
            if (!authorized(ctx, req)) {
                return;
            }
            Map<String, Object> body;
            try {
                body = jsonBody(req);
            } catch (IllegalArgumentException e) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST,
                        error("wamp.error.invalid_argument", e.getMessage()));
                return;
            }
            if (path.equals("/publish")) {
                publish(ctx, req, body);
            } else {
                call(ctx, req, body);
            }
            return;
        }
        if (HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method())) {
            serveStatic(ctx, req, path);
            return;
        }
        respond(ctx, req, HttpResponseStatus.NOT_FOUND, error("wamp.error.invalid_argument",
                "nothing at " + path + "; the bridge is POST /publish and POST /call, WAMP is at"
                + " /ws"));
    }

    private boolean authorized(ChannelHandlerContext ctx, FullHttpRequest req) {
        String token = settings.bearerToken();
        if (token == null) {
            if (settings.bridgeOpen()) {
                return true;
            }
            respond(ctx, req, HttpResponseStatus.FORBIDDEN, error("wamp.error.not_authorized",
                    "the HTTP bridge needs a bearer token when the router listens beyond"
                    + " loopback; set RouterEndpoint.builder().bearerToken(...)"));
            return false;
        }
        String got = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String want = "Bearer " + token;
        if (got == null || !MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8),
                want.getBytes(StandardCharsets.UTF_8))) {
            FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED,
                    error("wamp.error.not_authorized",
                            "send the header 'Authorization: Bearer <token>'"));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            send(ctx, req, r);
            return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonBody(FullHttpRequest req) {
        Object v;
        try {
            v = WampCodec.JSON.readValue(ByteBufUtil.getBytes(req.content()), Object.class);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new IllegalArgumentException("the body is not valid JSON: "
                    + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n'))));
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the body must be a JSON object such as"
                    + " {\"topic\": \"com.example.t\", \"args\": [1]}");
        }
        Map<String, Object> body = (Map<String, Object>) v;
        if (body.get("args") != null && !(body.get("args") instanceof List<?>)) {
            throw new IllegalArgumentException("\"args\" must be a JSON array");
        }
        if (body.get("kwargs") != null && !(body.get("kwargs") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("\"kwargs\" must be a JSON object");
        }
        if (body.get("options") != null && !(body.get("options") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("\"options\" must be a JSON object");
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(Map<String, Object> body) {
        Object a = body.get("args");
        return a == null ? new java.util.ArrayList<>() : (List<Object>) a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dictField(Map<String, Object> body, String name) {
        Object a = body.get(name);
        return a == null ? new LinkedHashMap<>() : (Map<String, Object>) a;
    }

    private Realm realm(Map<String, Object> body) {
        Object name = body.get("realm");
        if (name == null) {
            return core.realms().iterator().next();
        }
        Realm r = name instanceof String ? core.realm((String) name) : null;
        if (r == null) {
            throw WampError.of("wamp.error.no_such_realm", "no realm " + name);
        }
        return r;
    }

    private void publish(ChannelHandlerContext ctx, FullHttpRequest req,
            Map<String, Object> body) {
        try {
            Realm realm = realm(body);
            BridgePeer bridge = bridges.forRealm(realm);
            Map<String, Object> options = dictField(body, "options");
            long id = realm.publish(bridge.session(), body.get("topic"), options, args(body),
                    dictField(body, "kwargs"));
            respond(ctx, req, HttpResponseStatus.OK, Map.of("id", id));
        } catch (WampError e) {
            respond(ctx, req, status(e), errorOf(e));
        }
    }

    private void call(ChannelHandlerContext ctx, FullHttpRequest req, Map<String, Object> body) {
        CompletableFuture<CallResult> f;
        try {
            Realm realm = realm(body);
            Map<String, Object> options = new LinkedHashMap<>(dictField(body, "options"));
            options.putIfAbsent("timeout", settings.bridgeCallTimeout().toMillis());
            Object procedure = body.get("procedure");
            if (procedure instanceof String && ((String) procedure).startsWith("wamp.")) {
                throw WampError.of("wamp.error.not_authorized",
                        "the HTTP bridge does not call meta procedures");
            }
            f = bridges.forRealm(realm).call(procedure instanceof String ? (String) procedure
                    : null, args(body), dictField(body, "kwargs"), options);
        } catch (WampError e) {
            respond(ctx, req, status(e), errorOf(e));
            return;
        }
        req.retain();
        f.whenComplete((r, e) -> ctx.executor().execute(() -> {
            try {
                if (e == null) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("args", r.args());
                    out.put("kwargs", r.kwargs());
                    respond(ctx, req, HttpResponseStatus.OK, out);
                } else {
                    Throwable t = e instanceof CompletionException ? e.getCause() : e;
                    WampError w = t instanceof WampError ? (WampError) t
                            : WampError.of("wamp.error.runtime_error", String.valueOf(t));
                    respond(ctx, req, status(w), errorOf(w));
                }
            } finally {
                req.release();
            }
        }));
    }

    /** The HTTP status for a WAMP error (docs/router.md has the table). */
    static HttpResponseStatus status(WampError e) {
        switch (e.uri()) {
            case "wamp.error.invalid_uri":
            case "wamp.error.invalid_argument":
            case "wamp.error.no_such_realm":
                return HttpResponseStatus.BAD_REQUEST;
            case "wamp.error.not_authorized":
                return HttpResponseStatus.FORBIDDEN;
            case "wamp.error.no_such_procedure":
                return HttpResponseStatus.NOT_FOUND;
            case "wamp.error.timeout":
                return HttpResponseStatus.GATEWAY_TIMEOUT;
            default:
                return HttpResponseStatus.BAD_GATEWAY; // the callee failed or went away
        }
    }

    private static Map<String, Object> errorOf(WampError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.uri());
        m.put("args", e.args());
        m.put("kwargs", e.kwargs());
        return m;
    }

    private static Map<String, Object> error(String uri, String message) {
        return errorOf(WampError.of(uri, message));
    }

    private void serveStatic(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String p = path.equals("/") ? "/index.html" : path;
        String resource = null;
        if (!p.contains("..") && !p.contains("\\") && !p.contains("//")) {
            if (p.startsWith("/jpb/")) {
                resource = BUILTIN_STATIC + p.substring("/jpb/".length());
            } else if (settings.staticRoot() != null) {
                resource = settings.staticRoot() + p;
            }
        }
        byte[] bytes = null;
        if (resource != null) {
            try (InputStream in = HttpFront.class.getClassLoader().getResourceAsStream(resource)) {
                bytes = in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                log.warn("cannot read {}", resource, e);
            }
        }
        if (bytes == null) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, error("wamp.error.invalid_argument",
                    "nothing at " + path));
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(p));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        send(ctx, req, r);
    }

    private static String contentType(String p) {
        if (p.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (p.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (p.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (p.endsWith(".json")) {
            return "application/json";
        }
        if (p.endsWith(".png")) {
            return "image/png";
        }
        if (p.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static FullHttpResponse response(HttpResponseStatus status, Map<String, Object> json) {
        byte[] bytes;
        try {
            bytes = WampCodec.JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            bytes = ("{\"error\":\"wamp.error.runtime_error\",\"args\":[\"the result cannot be"
                    + " written as JSON\"]}").getBytes(StandardCharsets.UTF_8);
            status = HttpResponseStatus.BAD_GATEWAY;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req,
            HttpResponseStatus status, Map<String, Object> json) {
        send(ctx, req, response(status, json));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static boolean isLoopback(InetSocketAddress a) {
        return a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }
}
