package dev.jpb.examples.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.ForbiddenTypeException;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.testing.PbServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class NotifierExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Notifier notifier = new Notifier(() -> 42);
    @RegisterExtension
    final PbServerExtension server =
            PbServerExtension.of(b -> NotifierServer.configure(b, notifier));
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void unsubscribeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        // The notifier hears of each loss from a disconnect listener, on the executor.
        await().atMost(WAIT).until(() -> server.server().connections().isEmpty()
                && notifier.subscriberCount() == 0);
    }

    private NotifierClient connect(List<String> printed) throws Exception {
        NotifierClient client = NotifierClient.connect("127.0.0.1", server.port(), printed::add);
        toClose.add(client);
        return client;
    }

    @Test
    void aRandomEventMakesTheSubscriberAskForARandomNumber() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        connect(printed);

        List<CompletableFuture<String>> answers =
                notifier.publish(new Event(Event.RANDOM, "roll"));

        await().atMost(WAIT).until(() -> printed.contains("random number: 42"));
        assertThat(answers).singleElement()
                .satisfies(a -> assertThat(a).succeedsWithin(WAIT).isEqualTo("random number: 42"));
    }

    @Test
    void aClassifiedEventIsPrintedByEverySubscriber() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        connect(first);
        connect(second);
        assertThat(notifier.subscriberCount()).isEqualTo(2);

        notifier.publish(new Event(Event.CLASSIFIED, "the eagle has landed"));

        await().atMost(WAIT).until(() -> first.contains("classified: the eagle has landed")
                && second.contains("classified: the eagle has landed"));
    }

    @Test
    void unsubscribeFindsTheSameProxyTheServerGotOnSubscribe() throws Exception {
        NotifierClient client = connect(new CopyOnWriteArrayList<>());
        assertThat(notifier.subscriberCount()).isEqualTo(1);

        assertThat(client.unsubscribe()).isTrue();

        assertThat(notifier.subscriberCount()).isZero();
        assertThat(client.unsubscribe()).isFalse();
    }

    @Test
    void aDisconnectedSubscriberIsDropped() throws Exception {
        List<String> stays = new CopyOnWriteArrayList<>();
        connect(stays);
        NotifierClient leaves = connect(new CopyOnWriteArrayList<>());
        assertThat(notifier.subscriberCount()).isEqualTo(2);

        leaves.close();

        await().atMost(WAIT).until(() -> notifier.subscriberCount() == 1);
        assertThat(notifier.publish(new Event(Event.CLASSIFIED, "still on"))).singleElement()
                .satisfies(a -> assertThat(a).succeedsWithin(WAIT)
                        .isEqualTo("classified: still on"));
        assertThat(stays).containsExactly("classified: still on");
    }

    @Test
    void aClientThatDidNotRegisterEventAnswersForbiddenType() throws Exception {
        PbClient bare = PbClient.connect("127.0.0.1", server.port());
        toClose.add(bare);
        RemoteReference root = bare.getRootObject().get();
        List<String> printed = new CopyOnWriteArrayList<>();
        NotifierClient.subscribe(root, printed::add);

        List<CompletableFuture<String>> answers =
                notifier.publish(new Event(Event.CLASSIFIED, "secret"));

        assertThat(answers).singleElement().satisfies(a -> assertThat(a).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(ForbiddenTypeException.class)
                .withMessageContaining(Event.class.getName()));
        assertThat(printed).isEmpty();
        assertThat(bare.connection().isOpen()).isTrue();
    }
}
