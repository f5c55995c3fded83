package dev.jpb.internal.metrics;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import dev.jpb.internal.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A misbehaving jpb peer over a real socket: it completes the handshake, then sends answers
 * to requests nobody made (a protocol violation each).
 */
public final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;

    /** Connects to {@code address} and exchanges hellos. */
    public RawPeer(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        ByteBuf hello = Unpooled.buffer(Hello.LENGTH);
        new Hello(Hello.MAJOR, Hello.MINOR, Hello.FEATURES, 1 << 20).writeTo(hello);
        out = new DataOutputStream(socket.getOutputStream());
        out.write(hello.array(), hello.arrayOffset(), hello.readableBytes());
        out.flush();
        new DataInputStream(socket.getInputStream()).readFully(new byte[Hello.LENGTH]);
    }

    /** Sends an ANSWER to {@code requestId}, which this peer never received. */
    public void answerUnknownRequest(long requestId) throws IOException {
        Output body = new Output(64, -1);
        FrameCodec.write(body, new Frame.Answer(requestId));
        out.writeInt(body.position());
        out.write(body.getBuffer(), 0, body.position());
        out.flush();
    }

    /** Returns this peer's end of the socket, as the server sees it as the remote address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
