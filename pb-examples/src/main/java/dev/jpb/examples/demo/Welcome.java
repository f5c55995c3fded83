package dev.jpb.examples.demo;

import dev.jpb.Copyable;

/**
 * What the demo server's root answers to {@code welcome()}: a copy that carries two references.
 * Reference fields are declared {@code Object}: the server puts its own objects in them, and
 * the client finds {@link dev.jpb.RemoteReference}s there.
 *
 * @param motd     the message of the day
 * @param chat     the {@link dev.jpb.examples.chat.ChatRoom}, by reference
 * @param notifier the {@link dev.jpb.examples.notifier.Notifier}, by reference
 */
public record Welcome(String motd, Object chat, Object notifier) implements Copyable {
}
