package dev.jpb.examples.chat;

import static java.util.Objects.requireNonNull;

import dev.jpb.CallContext;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The chat room: a client joins with {@code nvx(name, callback)}, where the callback is its own
 * object with a {@code remote_msg(String)} method; the room then tells every member what is
 * said with {@code callback.callRemote("msg", line)}. A member whose connection goes away is
 * dropped, and the others are told.
 *
 * <p>Thread-safe: one room serves every connection, so its state is guarded by its monitor.
 * Messages are handed to the members' connections while holding it, so every member sees the
 * same order.
 */
public final class ChatRoom extends Root {
    /** One member: its name and the reference to the callback it handed over. */
    private record Member(String name, RemoteReference callback) {
    }

    // connection id -> member; guarded by this
    private final Map<Long, Member> members = new LinkedHashMap<>();

    /**
     * Joins the caller's connection to the room under {@code name}; {@code client} is called
     * back with {@code msg(String)} for every line said in the room, this join included.
     *
     * @return the names present, the new member included
     * @throws NameTakenError if a member already has that name
     * @throws IllegalStateException if this connection has already joined
     */
    public synchronized List<String> remote_nvx(String name, RemoteReference client) {
        requireNonNull(name, "name");
        requireNonNull(client, "client");
        if (members.values().stream().anyMatch(m -> m.name().equals(name))) {
            throw new NameTakenError(name);
        }
        long connection = CallContext.current().connection().id();
        Member already = members.get(connection);
        if (already != null) {
            throw new IllegalStateException("this connection already joined as "
                    + already.name());
        }
        members.put(connection, new Member(name, client));
        // The listener runs once, on the executor, when this client's connection is lost.
        client.notifyOnDisconnect(gone -> leave(connection, "left"));
        broadcast("* " + name + " joined");
        return names();
    }

    /**
     * Says {@code text} to the room, as the member the caller's connection joined as.
     *
     * @throws IllegalArgumentException if the text is blank
     * @throws IllegalStateException if this connection has not joined
     */
    public synchronized void remote_say(String text) {
        Member me = members.get(CallContext.current().connection().id());
        if (me == null) {
            throw new IllegalStateException("join first: nvx(name, callback)");
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("refusing to send an empty message");
        }
        broadcast(me.name() + ": " + text);
    }

    /** Returns the names of the members, in the order they joined. */
    public synchronized List<String> remote_who() {
        return names();
    }

    /** Returns how many members the room has (a local method: not callable remotely). */
    public synchronized int size() {
        return members.size();
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Member m : members.values()) {
            names.add(m.name());
        }
        return names;
    }

    private synchronized void leave(long connection, String how) {
        Member gone = members.remove(connection);
        if (gone != null) {
            broadcast("* " + gone.name() + " " + how);
        }
    }

    // Called with the monitor held: callRemote only queues the message, it never blocks. A
    // call on a connection already gone fails at once, re-entering leave(): hence the copy.
    private void broadcast(String line) {
        for (Map.Entry<Long, Member> e : new ArrayList<>(members.entrySet())) {
            long connection = e.getKey();
            e.getValue().callback().callRemote("msg", line).whenComplete((ok, error) -> {
                if (error != null) {
                    leave(connection, linkLost(error) ? "left" : "dropped (its msg failed: "
                            + error.getMessage() + ")");
                }
            });
        }
    }

    // The link went away under a message: the same news as the disconnect listener's (and
    // leave() reports it only once, whichever comes first).
    private static boolean linkLost(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return t instanceof ConnectionLostException || t instanceof DeadReferenceException;
    }
}
