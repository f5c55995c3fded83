package dev.jpb.examples.demo;

import dev.jpb.DeadReferenceException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.examples.chat.ChatClient;
import dev.jpb.examples.chat.ChatRoom;
import dev.jpb.examples.chat.NameTakenError;
import dev.jpb.examples.notifier.Event;
import dev.jpb.examples.notifier.Notifier;
import dev.jpb.examples.notifier.NotifierClient;
import dev.jpb.server.PbServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * jpb in one process: a server and three clients (alice, bob, carol) chat and get
 * notifications, showing calls both ways, copies, references, errors and a disconnect, and
 * print what happens. The README's demo:
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java
 * </pre>
 */
public final class Demo {
    private static final long WAIT_SECONDS = 5;
    /** Every type that crosses by copy here; both ends register the same list. */
    private static final Class<?>[] COPIED = {Welcome.class, Event.class, NameTakenError.class};

    private final PrintStream out;
    private final List<String> transcript = new ArrayList<>();

    private Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo, then exits: 0 if it ran to the end, 1 if a step failed. */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status = 0;
        try {
            run(System.out);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // Everything is closed by now; exit at once rather than wait for idle pool threads.
        System.exit(status);
    }

    /**
     * Runs the demo, printing its narrative to {@code out}; closes everything it started.
     *
     * @return the lines printed
     * @throws Exception if a step does not happen as told (each waits at most 5 s)
     */
    public static List<String> run(PrintStream out) throws Exception {
        Demo demo = new Demo(out);
        demo.story();
        return List.copyOf(demo.transcript);
    }

    /** One client: its connection, what the root welcomed it with, and what it was told. */
    private static final class Participant implements AutoCloseable {
        final String name;
        final PbClient client;
        final Welcome welcome;
        final RemoteReference root;
        final RemoteReference chatRef;
        final ChatClient.Room room;
        final ChatClient.Listener listener;
        final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        final BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        NotifierClient.Subscriber subscriber;

        Participant(String name, int port) throws Exception {
            this.name = name;
            this.client = PbClient.builder().register(COPIED).connect("127.0.0.1", port);
            this.root = client.getRootObject().get();
            this.welcome = root.<Welcome>callRemote("welcome").get();
            this.chatRef = (RemoteReference) welcome.chat();
            this.room = chatRef.as(ChatClient.Room.class);
            this.listener = new ChatClient.Listener(heard::add);
        }

        RemoteReference notifierRef() {
            return (RemoteReference) welcome.notifier();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private void story() throws Exception {
        ChatRoom chat = new ChatRoom();
        Notifier notifier = new Notifier(() -> ThreadLocalRandom.current().nextInt(1, 101));
        List<Participant> everyone = new ArrayList<>();
        PbServer server = PbServer.builder()
                .root(new DemoRoot(chat, notifier))
                .bind("127.0.0.1", 0)
                .register(COPIED)
                .build()
                .start();
        try {
            say("== jpb demo: one server and three clients in one process ==");
            say("server: listening on port " + server.port()
                    + "; its root offers welcome() and echo()");

            section("1. connect; a copy that carries references");
            for (String name : List.of("alice", "bob", "carol")) {
                Participant p = new Participant(name, server.port());
                everyone.add(p);
                say(name + ": connected; root.callRemote(\"welcome\") answered a "
                        + p.welcome.getClass().getSimpleName() + " copy (\"" + p.welcome.motd()
                        + "\") whose chat and notifier fields are "
                        + kind(p.welcome.chat()) + "s");
            }
            Participant alice = everyone.get(0);
            Participant bob = everyone.get(1);
            Participant carol = everyone.get(2);

            section("2. references: each client hands the room a callback, the room calls back");
            for (Participant p : everyone) {
                List<String> present = p.room.nvx(p.name, p.listener);
                say(p.name + ": nvx(\"" + p.name + "\", listener) -> present " + present);
                for (Participant q : everyone.subList(0, everyone.indexOf(p) + 1)) {
                    hears(q);
                }
            }
            alice.room.say("hello, everyone");
            say("alice: say(\"hello, everyone\")");
            for (Participant p : everyone) {
                hears(p);
            }

            section("3. notifications: the server pushes Event copies, clients call back");
            for (Participant p : List.of(bob, carol)) {
                p.subscriber = NotifierClient.subscribe(p.notifierRef(), p.printed::add);
            }
            say("bob, carol: notifier.callRemote(\"subscribe\", subscriber); subscribers: "
                    + notifier.subscriberCount());
            for (Event event : List.of(new Event(Event.RANDOM, "roll the dice"),
                    new Event(Event.CLASSIFIED, "the eagle has landed"))) {
                List<CompletableFuture<String>> answers = notifier.publish(event);
                say("server: publish(" + event + ")");
                for (Participant p : List.of(bob, carol)) {
                    prints(p);
                }
                List<String> answered = new ArrayList<>();
                for (CompletableFuture<String> a : answers) {
                    answered.add(a.get(WAIT_SECONDS, TimeUnit.SECONDS));
                }
                answered.sort(null);
                say("server: the subscribers answered " + answered);
            }

            section("4. copies and references coming back");
            Event sent = new Event(Event.CLASSIFIED, "a copy");
            Event back = alice.root.<Event>callRemote("echo", sent).get();
            say("alice: echo(" + sent + ") -> " + back + ": equal " + back.equals(sent)
                    + ", same object " + (back == sent));
            Object listenerBack = alice.root.callRemote("echo", alice.listener).get();
            say("alice: echo(her own listener) -> her own object: same object "
                    + (listenerBack == alice.listener));
            Welcome again = alice.root.<Welcome>callRemote("welcome").get();
            say("alice: welcome() again -> the chat field is the same proxy as before: "
                    + (again.chat() == alice.welcome.chat()));

            section("5. errors");
            NameTakenError taken = thrown(NameTakenError.class,
                    () -> carol.room.nvx("alice", carol.listener));
            say("carol: nvx(\"alice\", listener) threw NameTakenError, crossed as itself:"
                    + " name " + taken.name() + ", message \"" + taken.getMessage() + "\"");
            RemoteCallException empty = thrown(RemoteCallException.class,
                    () -> alice.room.say(" "));
            say("alice: say(\" \") threw RemoteCallException: remoteType "
                    + empty.remoteType() + ", remoteMessage \"" + empty.remoteMessage() + "\"");
            Throwable noSuch = failure(bob.chatRef.callRemote("shout", "HEY"));
            say("bob: callRemote(\"shout\", \"HEY\") failed with "
                    + noSuch.getClass().getSimpleName() + ": " + noSuch.getMessage());
            check(noSuch instanceof NoSuchRemoteMethodException, "shout is not remote");

            section("6. a disconnect");
            carol.close();
            say("carol: closed her connection");
            hears(alice);
            hears(bob);
            waitUntil(() -> notifier.subscriberCount() == 1, "the notifier drops carol");
            say("server: the room now has " + chat.size() + " members " + chat.remote_who()
                    + "; the notifier has " + notifier.subscriberCount() + " subscriber");
            Throwable dead = failure(carol.chatRef.callRemote("who"));
            say("carol: a call through her old room reference failed with "
                    + dead.getClass().getSimpleName());
            check(dead instanceof DeadReferenceException, "carol's reference is dead");
            bob.room.say("bye, carol");
            say("bob: say(\"bye, carol\")");
            hears(alice);
            hears(bob);
        } finally {
            for (Participant p : everyone) {
                p.close();
            }
            server.close();
        }
        say("== done: every client and the server closed ==");
    }

    private static String kind(Object value) {
        return value instanceof RemoteReference ? "RemoteReference"
                : value == null ? "null" : value.getClass().getSimpleName();
    }

    private void section(String title) {
        say("-- " + title);
    }

    private void say(String line) {
        transcript.add(line);
        out.println(line);
    }

    // Takes the next line p's chat listener was told.
    private void hears(Participant p) throws InterruptedException {
        say("  " + p.name + "'s listener got msg(\"" + next(p.heard, p.name + " hears") + "\")");
    }

    // Takes the next line p's notifier subscriber printed.
    private void prints(Participant p) throws InterruptedException {
        say("  " + p.name + "'s subscriber printed \"" + next(p.printed, p.name + " prints")
                + "\"");
    }

    private static String next(BlockingQueue<String> queue, String what)
            throws InterruptedException {
        String line = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        check(line != null, what + " within " + WAIT_SECONDS + " s");
        return line;
    }

    // Runs a blocking call on a typed proxy that must throw an exception of that type.
    private static <E extends Throwable> E thrown(Class<E> type, Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            check(type.isInstance(t), type.getSimpleName() + ", not " + t);
            return type.cast(t);
        }
        throw new IllegalStateException("the demo expected " + type.getSimpleName());
    }

    private static Throwable failure(CompletableFuture<?> call) throws Exception {
        try {
            Object value = call.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new IllegalStateException("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            check(System.nanoTime() < deadline, what + " within " + WAIT_SECONDS + " s");
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static void check(boolean ok, String expected) {
        if (!ok) {
            throw new IllegalStateException("the demo expected: " + expected);
        }
    }
}
