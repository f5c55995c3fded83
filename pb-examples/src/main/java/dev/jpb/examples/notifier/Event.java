package dev.jpb.examples.notifier;

import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;

/**
 * A notification, passed by copy: the subscriber gets its own {@code Event} with the same
 * fields. Both ends register it ({@code builder().register(Event.class)}).
 *
 * @param kind {@link #RANDOM}, {@link #CLASSIFIED} or any other kind
 * @param text what the event says
 */
public record Event(String kind, String text) implements Copyable {
    /** The kind of event a subscriber answers by asking the server for a random number. */
    public static final String RANDOM = "random";
    /** The kind of event a subscriber just prints. */
    public static final String CLASSIFIED = "classified";

    /** Checks the fields. */
    public Event {
        requireNonNull(kind, "kind");
        requireNonNull(text, "text");
    }
}
