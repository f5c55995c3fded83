package dev.jpb.router;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking WebSocket client over a plain socket, for hostile-input tests: it sends
 * exactly the bytes a test wants, and it can stop reading altogether (a small receive buffer
 * makes the router's side fill quickly).
 */
final class RawWebSocket implements AutoCloseable {
    /** One frame read. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final String handshakeResponse;

    RawWebSocket(int port, String subprotocol, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
                + "\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        handshakeResponse = head.toString();
    }

    static RawWebSocket json(int port) throws IOException {
        return new RawWebSocket(port, "wamp.2.json", 0);
    }

    void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        int n = payload.length;
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) n >>> (8 * i)) & 0xff);
            }
        }
        f.write(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one frame (server frames are not masked); null when the socket closed. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long n = b1 & 0x7f;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a text frame arrives; null if the socket closed first. */
    String readText() throws IOException {
        Frame f;
        while ((f = read()) != null) {
            if (f.opcode() == 0x1) {
                return f.text();
            }
            if (f.opcode() == 0x8) {
                return null;
            }
        }
        return null;
    }

    /** Sends HELLO and returns the WELCOME (or ABORT) text. */
    String hello() throws IOException {
        sendText("[1,\"realm1\",{\"roles\":{\"subscriber\":{},\"publisher\":{},\"caller\":{},"
                + "\"callee\":{}}}]");
        return readText();
    }

    boolean closedByPeer() {
        try {
            Frame f;
            while ((f = read()) != null) {
                if (f.opcode() == 0x8) {
                    return true;
                }
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
