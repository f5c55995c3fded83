package dev.jpb.examples.demo;

import static java.util.Objects.requireNonNull;

import dev.jpb.Root;
import dev.jpb.examples.chat.ChatRoom;
import dev.jpb.examples.notifier.Notifier;

/** The demo server's root: hands out the chat room and the notifier, and echoes values. */
public final class DemoRoot extends Root {
    private final ChatRoom chat;
    private final Notifier notifier;

    /** Creates the root over the services it hands out. */
    public DemoRoot(ChatRoom chat, Notifier notifier) {
        this.chat = requireNonNull(chat, "chat");
        this.notifier = requireNonNull(notifier, "notifier");
    }

    /** Answers a copy holding references to the chat room and the notifier. */
    public Welcome remote_welcome() {
        return new Welcome("welcome to the jpb demo", chat, notifier);
    }

    /** Answers its argument: a copy goes back as a new copy, a reference as itself. */
    public Object remote_echo(Object value) {
        return value;
    }
}
