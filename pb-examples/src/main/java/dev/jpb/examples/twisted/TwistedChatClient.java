package dev.jpb.examples.twisted;

import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.twisted.TwistedPbClient;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Java clients in a Python PB chat room: starts {@code chat_server.py} (Twisted), joins it as
 * alice and bob over Twisted PB's own wire, talks, shows a {@code pb.Error}, and exits.
 * Run: {@code mvn -B -q -pl pb-examples exec:java
 * -Dexample.main=dev.jpb.examples.twisted.TwistedChatClient}.
 */
public final class TwistedChatClient {
    private TwistedChatClient() {
    }

    /** What the Python room calls back: {@code msg(line)}. */
    public static final class Listener extends Referenceable {
        private final String name;
        private final BlockingQueue<String> heard;

        Listener(String name, BlockingQueue<String> heard) {
            this.name = name;
            this.heard = heard;
        }

        /** Called by the room for every line said in it. */
        public void remote_msg(String line) {
            heard.add(name + " heard: " + line);
        }
    }

    /** Runs the example, printing to standard output. */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Runs the example, printing what happens to {@code out}. */
    public static void run(PrintStream out) throws Exception {
        Process python = Python.start("chat_server.py");
        try {
            BufferedReader lines = Python.output(python);
            int port = Integer.parseInt(lines.readLine().substring("PORT ".length()).trim());
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (TwistedPbClient alice = TwistedPbClient.connect("127.0.0.1", port);
                    TwistedPbClient bob = TwistedPbClient.connect("127.0.0.1", port)) {
                RemoteReference room = alice.getRootObject().join();
                List<?> present = room.<List<?>>callRemote("nvx", "alice",
                        new Listener("alice", heard)).join();
                out.println("alice joined; present: " + present);
                out.println(heard.poll(10, TimeUnit.SECONDS));
                RemoteReference bobsRoom = bob.getRootObject().join();
                bobsRoom.callRemote("nvx", "bob", new Listener("bob", heard)).join();
                out.println(heard.poll(10, TimeUnit.SECONDS));
                out.println(heard.poll(10, TimeUnit.SECONDS));
                room.callRemote("say", "alice", "hello from Java").join();
                out.println(heard.poll(10, TimeUnit.SECONDS));
                out.println(heard.poll(10, TimeUnit.SECONDS));
                try {
                    bobsRoom.callRemote("nvx", "alice", new Listener("x", heard)).join();
                } catch (java.util.concurrent.CompletionException e) {
                    RemoteCallException r = (RemoteCallException) e.getCause();
                    out.println("joining as alice again: " + r.remoteType() + ": "
                            + r.remoteMessage());
                }
            }
        } finally {
            python.destroyForcibly();
        }
    }
}
