package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

/** A hand-driven peer on a raw socket, for feeding a server bytes no jpb peer would send. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawPeer(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] hello(int major, int maxFrame) {
        return hello(major, maxFrame, 0);
    }

    /** A hello with feature flags (bit 1: cacheables; bit 2: deadlines, cancel, keepalive). */
    static byte[] hello(int major, int maxFrame, int features) {
        return ByteBuffer.allocate(16).putInt(0x4A504221).putShort((short) major)
                .putShort((short) (features == 0 ? 0 : 1)).putInt(features).putInt(maxFrame)
                .array();
    }

    /** Reads the server's hello and sends ours. */
    RawPeer handshake() throws IOException {
        return handshake(0);
    }

    /** Reads the server's hello and sends ours, with these feature bits. */
    RawPeer handshake(int features) throws IOException {
        byte[] theirs = new byte[16];
        in.readFully(theirs);
        out.write(hello(1, 16 << 20, features));
        return this;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendFrame(byte[] body) throws IOException {
        send(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
    }

    /** Reads one frame's body. */
    byte[] readFrame() throws IOException {
        int n = in.readInt();
        byte[] body = new byte[n];
        in.readFully(body);
        return body;
    }

    /** Reads frames until one of {@code kind}, skipping TYPES frames. */
    byte[] readFrame(int kind) throws IOException {
        while (true) {
            byte[] body = readFrame();
            if (body[0] == kind) {
                return body;
            }
        }
    }

    /** Returns true once the server has closed the socket (reads hit end of stream). */
    boolean closedByPeer() throws IOException {
        try {
            while (in.read() != -1) {
                // drain whatever the server sent before closing
            }
            return true;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /**
     * Waits until a flooding writer stops making progress (the server stopped reading: the
     * writer blocks, connected) or ends; then checks it did not end.
     *
     * @param progress what the writer has sent so far
     * @param writer   the writer's task
     * @param atMost   how long the server may take to stop reading
     */
    static void awaitStalled(IntSupplier progress, Future<?> writer, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(400))
                .until(new Callable<Boolean>() {
                    private int last = -1;

                    @Override
                    public Boolean call() {
                        int now = progress.getAsInt();
                        boolean stalled = now == last;
                        last = now;
                        return stalled || writer.isDone();
                    }
                });
        assertThat(writer).as("neither all read nor the connection dropped").isNotDone();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Builds frame bodies: LEB128 varints and jpb header strings. */
    static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Body(int kind) {
            bytes.write(kind);
        }

        Body varint(long v) {
            while ((v & ~0x7FL) != 0) {
                bytes.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            bytes.write((int) v);
            return this;
        }

        Body string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1);
            bytes.write(b, 0, b.length);
            return this;
        }

        Body raw(int... values) {
            for (int v : values) {
                bytes.write(v);
            }
            return this;
        }

        byte[] build() {
            return bytes.toByteArray();
        }

        /** Builds the body followed by {@code tail}. */
        byte[] build0(byte[] tail) {
            bytes.write(tail, 0, tail.length);
            return bytes.toByteArray();
        }
    }
}
