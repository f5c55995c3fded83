package dev.jpb.examples.thin;

import dev.jpb.cache.CacheableList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * The state every client shares: the saved contacts, and the attached clients to tell when
 * they change. The contacts are also a {@link CacheableList} that server-side-controller
 * windows bind their list to, so that it follows the book with no code on the client.
 * Thread-safe.
 */
final class ContactBook {
    /** How to show the list and a message on one client. */
    interface Member extends BiFunction<List<String>, String, CompletableFuture<?>> {
    }

    private final List<String> contacts = new ArrayList<>(); // guarded by this
    private final CacheableList<String> shared = new CacheableList<>(); // changed under this
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private int clients; // guarded by this

    synchronized int nextClientNumber() {
        return ++clients;
    }

    synchronized List<String> contacts() {
        return List.copyOf(contacts);
    }

    /** The contacts, as a list whose copies follow every change. */
    CacheableList<String> shared() {
        return shared;
    }

    /** Adds a member and shows it the current list. */
    CompletableFuture<?> join(Member member) {
        members.add(member);
        return member.apply(contacts(), "Fill in the form and press Save");
    }

    void leave(Member member) {
        members.remove(member);
    }

    /** Adds a contact and shows the new list to every member; returns the new list. */
    List<String> add(String contact, String by) {
        List<String> now;
        synchronized (this) {
            contacts.add(contact);
            shared.add(contact);
            now = List.copyOf(contacts);
        }
        String message = contact.substring(0, contact.indexOf(" <")) + " saved by " + by;
        for (Member m : members) {
            m.apply(now, message);
        }
        return now;
    }
}
