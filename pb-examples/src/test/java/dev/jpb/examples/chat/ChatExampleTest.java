package dev.jpb.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.RemoteCallException;
import dev.jpb.testing.PbServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ChatExampleTest {
    private final ChatRoom room = new ChatRoom();
    // A server (and a room) per test; afterwards the kit checks the tables and buffers.
    @RegisterExtension
    final PbServerExtension server = PbServerExtension.of(b -> ChatServer.configure(b, room));
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void leave() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        // The room hears of each loss from a disconnect listener, on the executor.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.server().connections().isEmpty() && room.size() == 0);
    }

    /** A client with the lines its listener was told. */
    private record Member(ChatClient chat, List<String> heard) {
    }

    private Member join(String name) throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        ChatClient chat = ChatClient.join("127.0.0.1", server.port(), name, heard::add);
        toClose.add(chat);
        return new Member(chat, heard);
    }

    @Test
    void everyMemberHearsWhatIsSaidInJoinOrder() throws Exception {
        Member alice = join("alice");
        Member bob = join("bob");
        Member carol = join("carol");
        assertThat(carol.chat().present()).containsExactly("alice", "bob", "carol");

        alice.chat().say("hello");
        bob.chat().say("hi alice");

        for (Member m : List.of(alice, bob, carol)) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> m.heard().contains("bob: hi alice"));
        }
        assertThat(alice.heard()).containsExactly("* alice joined", "* bob joined",
                "* carol joined", "alice: hello", "bob: hi alice");
        assertThat(carol.heard()).containsExactly("* carol joined", "alice: hello",
                "bob: hi alice");
        assertThat(bob.chat().who()).containsExactly("alice", "bob", "carol");
    }

    @Test
    void aClientThatDisconnectsIsDroppedAndTheOthersChatOn() throws Exception {
        Member alice = join("alice");
        Member bob = join("bob");
        Member carol = join("carol");
        assertThat(room.size()).isEqualTo(3);

        carol.chat().close();

        await().atMost(Duration.ofSeconds(5)).until(() -> room.size() == 2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> alice.heard().contains("* carol left")
                        && bob.heard().contains("* carol left"));
        assertThat(alice.chat().who()).containsExactly("alice", "bob");

        bob.chat().say("still here?");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> alice.heard().contains("bob: still here?"));
        assertThat(carol.heard()).doesNotContain("bob: still here?", "* carol left");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.server().connections().size() == 2);
    }

    @Test
    void aTakenNameArrivesAsNameTakenError() throws Exception {
        join("alice");

        assertThatThrownBy(() -> join("alice"))
                .isInstanceOf(NameTakenError.class)
                .hasMessageContaining("the name alice is taken")
                .satisfies(e -> assertThat(((NameTakenError) e).name()).isEqualTo("alice"));
        assertThat(room.size()).isEqualTo(1);
    }

    @Test
    void anEmptyMessageArrivesAsRemoteCallException() throws Exception {
        Member alice = join("alice");

        assertThatThrownBy(() -> alice.chat().say(" "))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("java.lang.IllegalArgumentException");
                    assertThat(e.remoteMessage()).isEqualTo("refusing to send an empty message");
                    assertThat(e.remoteStackTrace()).isNull();
                });
    }
}
