package dev.jpb.client;

import static dev.jpb.client.LoginFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Avatar;
import dev.jpb.Cacheable;
import dev.jpb.Connection;
import dev.jpb.Observer;
import dev.jpb.RemoteCache;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Observer#avatar()} over real sockets: the avatar of the session logged in on the
 * observer's connection, empty without one, following logout and a new login.
 */
@Timeout(60)
class CacheAvatarTest {
    private static final char[] PASSWORD = LoginFixture.ALICE_PASSWORD;

    /** A user's avatar. */
    public static final class User extends Avatar {
        final String name;

        User(String name) {
            this.name = name;
        }

        /** Returns the user's name. */
        public String perspective_name() {
            return name;
        }
    }

    /** The owner's cacheable: builds each user's own greeting from the observer's avatar. */
    public static final class Greeting extends Cacheable {
        final List<Observer> observers = new CopyOnWriteArrayList<>();
        final Map<Observer, Optional<Avatar>> seenByStateFor = new ConcurrentHashMap<>();

        @Override
        protected Object stateFor(Observer observer) {
            observers.add(observer);
            Optional<Avatar> who = observer.avatar();
            seenByStateFor.put(observer, who);
            return who.map(a -> "hello " + ((User) a).name).orElse("hello stranger");
        }

        @Override
        protected void stoppedObserving(Observer observer) {
            observers.remove(observer);
        }

        Observer on(Connection connection) {
            return observers.stream().filter(o -> o.connection().equals(connection))
                    .findFirst().orElseThrow();
        }
    }

    /** The receiver's copy: keeps the greeting. */
    public static final class GreetingCopy extends RemoteCache {
        volatile String text;

        @Override
        protected void setState(Object state) {
            text = (String) state;
        }
    }

    /** Hands out the greeting with or without a login. */
    public static final class Server extends Root {
        final Greeting greeting = new Greeting();
        final Map<String, Connection> callers = new ConcurrentHashMap<>();

        public Greeting remote_greeting(String caller) {
            callers.put(caller, dev.jpb.CallContext.current().connection());
            return greeting;
        }
    }

    private final Server root = new Server();
    private final List<User> users = new CopyOnWriteArrayList<>();
    @RegisterExtension
    final LoginFixture fixture = new LoginFixture();

    private PbClient client() {
        return fixture.client(b -> b.registerCache(Greeting.class, GreetingCopy::new));
    }

    @Test
    void anObserverShowsTheAvatarOfItsConnectionsSessionAndNoneWithoutLogin() throws Exception {
        fixture.start(PbServer.builder().root(root)
                .realm((id, mind, connection) -> {
                    User u = new User(id);
                    users.add(u);
                    return u;
                })
                .passwords(LoginFixture.users()));
        PbClient alice = client();
        RemoteReference perspective = get(alice.login("alice", PASSWORD, null));
        assertThat(get(perspective.<String>callRemote("name"))).isEqualTo("alice");
        GreetingCopy aliceCopy = get(get(alice.getRootObject()).callRemote("greeting", "alice"));
        PbClient stranger = client();
        GreetingCopy strangerCopy = get(get(stranger.getRootObject())
                .callRemote("greeting", "stranger"));

        assertThat(aliceCopy.text).isEqualTo("hello alice");
        assertThat(strangerCopy.text).isEqualTo("hello stranger");
        Observer aliceObserver = root.greeting.on(root.callers.get("alice"));
        Observer strangerObserver = root.greeting.on(root.callers.get("stranger"));
        assertThat(root.greeting.seenByStateFor.get(aliceObserver)).containsSame(users.get(0));
        assertThat(aliceObserver.avatar()).containsSame(users.get(0));
        assertThat(strangerObserver.avatar()).isEmpty();

        // It follows the session: gone after logout, the new avatar after a new login.
        get(alice.logout());
        assertThat(aliceObserver.avatar()).isEmpty();
        // Kept: a perspective collected is released, and its session ends with it.
        RemoteReference again = get(alice.login("alice", PASSWORD, null));
        assertThat(users).hasSize(2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> aliceObserver.avatar().orElse(null) == users.get(1));
        assertThat(strangerObserver.avatar()).isEmpty();
        // The copies reachable to here: one collected earlier would stop observing.
        assertThat(root.greeting.observers).containsExactlyInAnyOrder(aliceObserver,
                strangerObserver);
        assertThat(List.of(aliceCopy.text, strangerCopy.text))
                .containsExactly("hello alice", "hello stranger");
        assertThat(get(again.<String>callRemote("name"))).isEqualTo("alice");
    }
}
