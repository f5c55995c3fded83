package dev.jpb.examples.lab.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpb.examples.lab.data.LabStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
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
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers the JSON routes of {@link PeopleHttpServer}; reads the store off the I/O thread. */
@Sharable
final class PeopleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(PeopleHandler.class);
    private static final String PEOPLE = "/api/people";

    private final ObjectMapper json = new ObjectMapper();
    private final LabStore store;
    private final Executor reads;

    PeopleHandler(LabStore store, Executor reads) {
        this.store = store;
        this.reads = reads;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error("malformed request"));
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals(PEOPLE) && !path.startsWith(PEOPLE + "/")) {
            send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND,
                    error("no such resource " + path + "; try GET " + PEOPLE));
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error(request.method() + " is not allowed: this view is read-only; use GET"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET");
            write(ctx, keepAlive, r);
            return;
        }
        Long id = null;
        if (!path.equals(PEOPLE)) {
            try {
                id = Long.parseLong(path.substring(PEOPLE.length() + 1));
            } catch (NumberFormatException e) {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND,
                        error("no such resource " + path + "; a person is " + PEOPLE + "/ID"));
                return;
            }
        }
        Long wanted = id;
        try {
            reads.execute(() -> answer(ctx, keepAlive, wanted));
        } catch (RejectedExecutionException e) {
            send(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, error("shutting down"));
        }
    }

    /** Runs on the read executor: the database may block. */
    private void answer(ChannelHandlerContext ctx, boolean keepAlive, Long id) {
        try {
            if (id == null) {
                send(ctx, keepAlive, HttpResponseStatus.OK, json.writeValueAsBytes(
                        store.people()));
                return;
            }
            var person = store.person(id);
            if (person.isPresent()) {
                send(ctx, keepAlive, HttpResponseStatus.OK,
                        json.writeValueAsBytes(person.get()));
            } else {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND,
                        error("there is no person with id " + id));
            }
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("GET {} failed", PEOPLE, e);
            send(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    error("the database could not be read; see the server's log"));
        }
    }

    private byte[] error(String message) {
        try {
            return json.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive,
            HttpResponseStatus status, byte[] body) {
        write(ctx, keepAlive, response(status, body));
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
