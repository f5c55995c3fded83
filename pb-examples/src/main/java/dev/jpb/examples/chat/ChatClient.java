package dev.jpb.examples.chat;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A chat client: hands the room a {@link Listener} to be called back, then says what it is
 * told to. Its {@link #main} reads lines from standard input and sends them; {@code /who}
 * lists the members, end of input leaves.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.chat.ChatClient \
 *     -Dexec.args="alice"
 * </pre>
 */
public final class ChatClient implements AutoCloseable {
    /**
     * The room as this client sees it: a typed proxy over the room's reference, so each
     * method calls {@code remote_<method>} and blocks for the answer; remote failures are
     * thrown as themselves ({@link NameTakenError}) or as {@link dev.jpb.RemoteCallException}.
     */
    public interface Room {
        /** Calls {@link ChatRoom#remote_nvx}: joins, and returns who is there. */
        List<String> nvx(String name, Object client);

        /** Calls {@link ChatRoom#remote_say}. */
        void say(String text);

        /** Calls {@link ChatRoom#remote_who}. */
        List<String> who();
    }

    /**
     * The callback a client hands the room: passed by reference, so the server gets a
     * {@link RemoteReference} to it and calls {@code msg} on it. Runs on the client's executor;
     * calls from the server arrive in the order the server made them.
     */
    public static final class Listener extends Referenceable {
        private final Consumer<String> out;

        /** Creates a listener passing each line it is told to {@code out}. */
        public Listener(Consumer<String> out) {
            this.out = requireNonNull(out, "out");
        }

        /** Called by the room for each line said there. */
        public void remote_msg(String line) {
            out.accept(line);
        }
    }

    private final PbClient client;
    private final Room room;
    private final Listener listener;
    private final List<String> present;

    private ChatClient(PbClient client, Room room, Listener listener, List<String> present) {
        this.client = client;
        this.room = room;
        this.listener = listener;
        this.present = present;
    }

    /**
     * Connects to a chat server and joins its room as {@code name}; every line said in the
     * room from then on is passed to {@code out}.
     *
     * @throws NameTakenError if the name is taken (the connection is closed again)
     */
    public static ChatClient join(String host, int port, String name, Consumer<String> out)
            throws Exception {
        PbClient client = PbClient.builder().register(NameTakenError.class).connect(host, port);
        try {
            RemoteReference root = client.getRootObject().get();
            Room room = root.as(Room.class);
            Listener listener = new Listener(out);
            List<String> present = room.nvx(name, listener);
            return new ChatClient(client, room, listener, present);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }

    /** Returns who was in the room when this client joined, itself included. */
    public List<String> present() {
        return present;
    }

    /** Says {@code text} to the room; returns once the room has sent it on. */
    public void say(String text) {
        room.say(text);
    }

    /** Returns who is in the room now. */
    public List<String> who() {
        return room.who();
    }

    /** Returns the connection to the server. */
    public PbClient client() {
        return client;
    }

    /** Returns the callback this client handed to the room. */
    public Listener listener() {
        return listener;
    }

    /** Leaves: closes the connection, and the room drops this member. */
    @Override
    public void close() {
        client.close();
    }

    /** Joins as {@code args[0]} (default "guest") on port {@code args[1]} and chats. */
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "guest";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : ChatServer.PORT;
        try (ChatClient chat = join("127.0.0.1", port, name, System.out::println)) {
            System.out.println("joined as " + name + "; present: " + chat.present()
                    + " (type lines to chat, /who to list, end of input to leave)");
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    if (line.equals("/who")) {
                        System.out.println("present: " + chat.who());
                    } else if (!line.isBlank()) {
                        chat.say(line);
                    }
                } catch (RuntimeException e) {
                    System.out.println("! " + e.getMessage());
                }
            }
        }
    }
}
