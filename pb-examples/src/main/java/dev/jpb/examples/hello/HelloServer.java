package dev.jpb.examples.hello;

import dev.jpb.Root;
import dev.jpb.server.PbServer;

/** A root object with two remote methods, served on a port (default 8789). */
public final class HelloServer {
    private HelloServer() {
    }

    /** The object clients call: only {@code remote_} methods are reachable. */
    public static final class Calculator extends Root {
        public int remote_add(int a, int b) {
            return a + b;
        }

        public String remote_echo(String text) {
            return text;
        }
    }

    /** Configures {@code builder} to serve a new {@link Calculator}. */
    public static PbServer.Builder configure(PbServer.Builder builder) {
        return builder.root(new Calculator());
    }

    /** Starts a server on {@code port} (0 = any free port). */
    public static PbServer start(int port) {
        return configure(PbServer.builder()).bind("127.0.0.1", port).build().start();
    }

    public static void main(String[] args) throws InterruptedException {
        PbServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8789);
        System.out.println("hello server listening on port " + server.port());
        Thread.currentThread().join();
    }
}
