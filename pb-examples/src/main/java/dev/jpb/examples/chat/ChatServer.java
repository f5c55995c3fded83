package dev.jpb.examples.chat;

import dev.jpb.server.PbServer;

/**
 * Serves a {@link ChatRoom} as the root object on a port (default 8790).
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.chat.ChatServer
 * </pre>
 */
public final class ChatServer {
    /** The default port. */
    public static final int PORT = 8790;

    private ChatServer() {
    }

    /**
     * Configures {@code builder} to serve {@code room}: the room is the root, and
     * {@link NameTakenError} is registered so that it crosses the wire as itself.
     */
    public static PbServer.Builder configure(PbServer.Builder builder, ChatRoom room) {
        return builder.root(room).register(NameTakenError.class);
    }

    /** Starts a server whose root is {@code room} on {@code port} (0 = any free port). */
    public static PbServer start(ChatRoom room, int port) {
        return configure(PbServer.builder(), room).bind("127.0.0.1", port).build().start();
    }

    /** Runs the server until the process is stopped; {@code args[0]} is the port. */
    public static void main(String[] args) throws InterruptedException {
        PbServer server = start(new ChatRoom(), args.length > 0 ? Integer.parseInt(args[0]) : PORT);
        System.out.println("chat server listening on port " + server.port());
        Thread.currentThread().join();
    }
}
