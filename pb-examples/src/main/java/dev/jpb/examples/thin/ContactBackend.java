package dev.jpb.examples.thin;

import dev.jpb.Referenceable;
import java.util.List;

/** What the pushed {@code ContactForm} calls on the server ({@code server.callRemote("save")}). */
public final class ContactBackend extends Referenceable {
    private final ContactBook book;
    private final String client;

    ContactBackend(ContactBook book, String client) {
        this.book = book;
        this.client = client;
    }

    /** Adds a contact; every client's list is updated; returns the new list. */
    public List<String> remote_save(String name, String email, boolean subscribe) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a contact needs a name");
        }
        return book.add(ThinServer.contact(name.strip(), email.strip(), subscribe), client);
    }
}
