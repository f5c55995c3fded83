package dev.jpb.client;

import static dev.jpb.client.LoginFixture.failure;
import static dev.jpb.client.LoginFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.NotLoggedInException;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.ServerAuthenticationException;
import dev.jpb.Viewable;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import dev.jpb.server.Realm;
import dev.jpb.server.ScramVerifier;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Login end to end on real sockets (docs/protocol.md §13.2): SCRAM success and failures,
 * anonymous logins, the session's end in each of its ways, re-login, the failure limit,
 * perspectives, viewables shared by two users, and a mind the server calls back.
 */
@Timeout(60)
class LoginTest {
    private static final char[] ALICE_PASSWORD = LoginFixture.ALICE_PASSWORD;
    private static final char[] BOB_PASSWORD = LoginFixture.BOB_PASSWORD;

    /** A shared board: each move names the player who made it. */
    public static final class Board extends Viewable {
        final List<String> moves = new CopyOnWriteArrayList<>();

        /** Records a move by the calling player. */
        public String view_move(Player who, int from, int to) {
            String move = who.name + ":" + from + "-" + to;
            moves.add(move);
            return move;
        }

        /** Says who is calling. */
        public String view_whoami(Avatar who) {
            return ((Player) who).name;
        }

        /** Callable without a session. */
        public int remote_size() {
            return moves.size();
        }
    }

    /** A typed view of the board, as a client would declare it. */
    public interface BoardView {
        /** Runs view_move. */
        String move(int from, int to);

        /** Runs view_whoami, asynchronously. */
        CompletableFuture<String> whoami();
    }

    /** A typed view of a player's perspective. */
    public interface PlayerView {
        /** Runs perspective_name. */
        String name();

        /** Runs perspective_board. */
        RemoteReference board();
    }

    /** A user's avatar; counts its sessions' ends. */
    public static final class Player extends Avatar {
        final String name;
        final RemoteReference mind;
        final Board board;
        final AtomicInteger loggedOut = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Connection endedOn;

        Player(String name, RemoteReference mind, Board board) {
            this.name = name;
            this.mind = mind;
            this.board = board;
        }

        /** The player's name. */
        public String perspective_name() {
            return name;
        }

        /** The shared board. */
        public Board perspective_board() {
            return board;
        }

        /** Pushes a message to this player's own mind. */
        public CompletableFuture<Object> perspective_ping(String text) {
            return mind.callRemote("push", "server says " + text);
        }

        /** Not callable: avatars expose perspective_ methods only. */
        public String remote_secret() {
            return "leaked";
        }

        @Override
        protected void loggedOut(Connection connection) {
            endedOn = connection;
            loggedOut.incrementAndGet();
            ended.countDown();
        }
    }

    /** Hands out a new player per login; remembers them by name. */
    static final class Players implements Realm {
        final Board board = new Board();
        final Map<String, List<Player>> byName = new ConcurrentHashMap<>();

        @Override
        public Avatar requestAvatar(String avatarId, RemoteReference mind,
                Connection connection) {
            Player p = new Player(avatarId, mind, board);
            byName.computeIfAbsent(avatarId, n -> new CopyOnWriteArrayList<>()).add(p);
            return p;
        }

        Player last(String name) {
            await().atMost(Duration.ofSeconds(10)).until(() -> byName.containsKey(name));
            List<Player> players = byName.get(name);
            return players.get(players.size() - 1);
        }
    }

    /** A client's callback object. */
    public static final class Mind extends Referenceable {
        final List<String> pushed = new CopyOnWriteArrayList<>();

        /** Receives a push from the server. */
        public String remote_push(String text) {
            pushed.add(text);
            return "got it";
        }
    }

    @RegisterExtension
    final LoginFixture fixture = new LoginFixture();
    private final Players realm = new Players();
    private final Passwords passwords = LoginFixture.users();

    private PbServer start(UnaryOperator<PbServer.Builder> options) {
        return fixture.start(options.apply(PbServer.builder().realm(realm).passwords(passwords)));
    }

    private PbClient client() {
        return fixture.client();
    }

    @Test
    void loginYieldsThePerspectiveWhosePerspectiveMethodsRun() throws Exception {
        start(b -> b);
        PbClient client = client();
        RemoteReference perspective = get(client.login("alice", ALICE_PASSWORD, null));
        assertThat(get(perspective.<String>callRemote("name"))).isEqualTo("alice");
        PlayerView typed = perspective.as(PlayerView.class);
        assertThat(typed.name()).isEqualTo("alice");
        assertThat(realm.last("alice").mind).isNull();
        assertThat(ALICE_PASSWORD).containsExactly("correct horse".toCharArray());
    }

    @Test
    void remoteMethodsOfAnAvatarAreNotCallable() throws Exception {
        start(b -> b);
        RemoteReference perspective = get(client().login("alice", ALICE_PASSWORD, null));
        assertThat(failure(perspective.callRemote("secret")))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .hasMessageContaining("perspective_secret");
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlike() throws Exception {
        start(b -> b);
        PbClient client = client();
        Throwable wrong = failure(client.login("alice", "wrong".toCharArray(), null));
        Throwable unknown = failure(client.login("mallory", "wrong".toCharArray(), null));
        assertThat(wrong).isInstanceOf(LoginFailedException.class)
                .hasMessage(LoginFailedException.MESSAGE);
        assertThat(unknown).isInstanceOf(LoginFailedException.class)
                .hasMessage(LoginFailedException.MESSAGE);
        assertThat(realm.byName).isEmpty();
        // The connection lives on and a right password still works on it.
        assertThat(get(get(client.login("alice", ALICE_PASSWORD, null))
                .<String>callRemote("name"))).isEqualTo("alice");
    }

    @Test
    void fiveFailedLoginsInARowCloseTheConnection() throws Exception {
        start(b -> b);
        PbClient client = client();
        for (int i = 0; i < 4; i++) {
            assertThat(failure(client.login("alice", ("guess" + i).toCharArray(), null)))
                    .isInstanceOf(LoginFailedException.class);
            assertThat(client.connection().isOpen()).isTrue();
        }
        Throwable fifth = failure(client.login("nobody", "guess".toCharArray(), null));
        assertThat(fifth).isInstanceOf(PbException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.connection().isOpen());
        // Other connections are not affected.
        assertThat(get(get(client().login("bob", BOB_PASSWORD, null))
                .<String>callRemote("name"))).isEqualTo("bob");
    }

    @Test
    void aSuccessStartsTheFailureCountAgain() throws Exception {
        start(b -> b.maxFailedLogins(2));
        PbClient client = client();
        failure(client.login("alice", "x".toCharArray(), null));
        get(client.login("alice", ALICE_PASSWORD, null));
        failure(client.login("alice", "y".toCharArray(), null));
        assertThat(client.connection().isOpen()).isTrue();
        failure(client.login("alice", "z".toCharArray(), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.connection().isOpen());
    }

    @Test
    void anonymousLoginWhenAllowed() throws Exception {
        start(b -> b.allowAnonymous("guest"));
        RemoteReference perspective = get(client().loginAnonymously(null));
        assertThat(get(perspective.<String>callRemote("name"))).isEqualTo("guest");
    }

    @Test
    void anonymousLoginRefusedByDefault() throws Exception {
        start(b -> b);
        PbClient client = client();
        assertThat(failure(client.loginAnonymously(null)))
                .isInstanceOf(LoginFailedException.class)
                .hasMessageContaining("anonymous");
        assertThat(realm.byName).isEmpty();
        assertThat(client.connection().isOpen()).isTrue();
    }

    @Test
    void anonymousOnlyServerNeedsNoPasswords() throws Exception {
        fixture.start(PbServer.builder().realm(realm).allowAnonymous("guest"));
        PbClient client = client();
        assertThat(failure(client.login("alice", ALICE_PASSWORD, null)))
                .isInstanceOf(PbException.class);
        assertThat(get(get(client().loginAnonymously(null)).<String>callRemote("name")))
                .isEqualTo("guest");
    }

    @Test
    void loggedOutRunsOnceOnDisconnect() throws Exception {
        start(b -> b);
        PbClient client = client();
        get(client.login("alice", ALICE_PASSWORD, null));
        Player alice = realm.last("alice");
        client.close();
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> alice.loggedOut.get() == 1);
    }

    @Test
    void loggedOutRunsOnceOnLogoutAndTheOldPerspectiveIsRefused() throws Exception {
        start(b -> b);
        PbClient client = client();
        RemoteReference perspective = get(client.login("alice", ALICE_PASSWORD, null));
        Player alice = realm.last("alice");
        get(client.logout());
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.endedOn.id())
                .isEqualTo(fixture.server().connections().iterator().next().id());
        assertThat(failure(perspective.callRemote("name")))
                .isInstanceOf(NotLoggedInException.class);
        assertThat(client.connection().isOpen()).isTrue();
        perspective.release();
        client.close();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> alice.loggedOut.get() == 1);
    }

    @Test
    void loggedOutRunsOnceWhenThePerspectiveIsReleased() throws Exception {
        start(b -> b);
        PbClient client = client();
        RemoteReference perspective = get(client.login("alice", ALICE_PASSWORD, null));
        Player alice = realm.last("alice");
        assertThat(client.perspective()).containsSame(perspective);
        perspective.release();
        assertThat(client.perspective()).isEmpty();
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.connection().isOpen()).isTrue();
        get(client.logout()); // no session any more: nothing more to end
        client.close();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> alice.loggedOut.get() == 1);
    }

    @Test
    void aPerspectiveTheCallerDropsKeepsItsSessionUntilLogout() throws Exception {
        start(b -> b);
        PbClient client = client();
        // The caller keeps no reference to the perspective, only a weak one to see it.
        WeakReference<RemoteReference> dropped =
                new WeakReference<>(get(client.login("alice", ALICE_PASSWORD, null)));
        Player alice = realm.last("alice");
        WeakReference<Object> canary = new WeakReference<>(new Object());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return canary.get() == null; // a collection ran
        });
        System.gc();
        assertThat(dropped.get()).as("the client holds the current perspective").isNotNull();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> alice.loggedOut.get() == 0);
        assertThat(get(dropped.get().<String>callRemote("name"))).isEqualTo("alice");
        assertThat(client.perspective()).containsSame(dropped.get());

        get(client.logout());
        assertThat(client.perspective()).isEmpty();
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
        client.close();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> alice.loggedOut.get() == 1);
    }

    @Test
    void aSecondLoginReplacesTheFirstAndAFailedOneLeavesIt() throws Exception {
        start(b -> b);
        PbClient client = client();
        RemoteReference first = get(client.login("alice", ALICE_PASSWORD, null));
        Player alice = realm.last("alice");
        failure(client.login("bob", "wrong".toCharArray(), null));
        assertThat(get(first.<String>callRemote("name"))).isEqualTo("alice");
        assertThat(alice.loggedOut.get()).isZero();

        RemoteReference second = get(client.login("bob", BOB_PASSWORD, null));
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(get(second.<String>callRemote("name"))).isEqualTo("bob");
        assertThat(failure(first.callRemote("name"))).isInstanceOf(NotLoggedInException.class);
        RemoteReference board = get(second.callRemote("board"));
        assertThat(get(board.<String>callRemote("whoami"))).isEqualTo("bob");
        client.close();
        Player bob = realm.last("bob");
        assertThat(bob.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.loggedOut.get()).isEqualTo(1);
    }

    @Test
    void twoUsersOnOneViewableEachSeeTheirOwnAvatar() throws Exception {
        start(b -> b);
        PbClient a = client();
        PbClient b = client();
        CompletableFuture<RemoteReference> pa = a.login("alice", ALICE_PASSWORD, null);
        CompletableFuture<RemoteReference> pb = b.login("bob", BOB_PASSWORD, null);
        RemoteReference aliceBoard = get(get(pa).callRemote("board"));
        BoardView bobBoard = get(pb).as(PlayerView.class).board().as(BoardView.class);
        CompletableFuture<?>[] moves = new CompletableFuture<?>[20];
        for (int i = 0; i < 10; i++) {
            moves[2 * i] = aliceBoard.callRemote("move", i, i + 1);
            int n = i;
            moves[2 * i + 1] = CompletableFuture.supplyAsync(() -> bobBoard.move(n, n + 2));
        }
        CompletableFuture.allOf(moves).get(20, TimeUnit.SECONDS);
        assertThat(moves[0].get()).isEqualTo("alice:0-1");
        assertThat(moves[1].get()).isEqualTo("bob:0-2");
        assertThat(realm.board.moves).hasSize(20)
                .filteredOn(m -> m.startsWith("alice:")).hasSize(10)
                .allMatch(m -> m.matches("alice:(\\d+)-\\d+")
                        && Integer.parseInt(m.split("[:-]")[2])
                                == Integer.parseInt(m.split("[:-]")[1]) + 1);
        assertThat(realm.board.moves).filteredOn(m -> m.startsWith("bob:"))
                .allMatch(m -> Integer.parseInt(m.split("[:-]")[2])
                        == Integer.parseInt(m.split("[:-]")[1]) + 2);
        assertThat(bobBoard.whoami().get(10, TimeUnit.SECONDS)).isEqualTo("bob");
        assertThat(get(aliceBoard.<String>callRemote("whoami"))).isEqualTo("alice");
    }

    /** A root that hands out the shared board to anyone, logged in or not. */
    public static final class BoardRoot extends Root {
        final Board board;

        BoardRoot(Board board) {
            this.board = board;
        }

        /** The board. */
        public Board remote_board() {
            return board;
        }
    }

    @Test
    void aViewMethodWithoutASessionFailsWithNotLoggedIn() throws Exception {
        start(b -> b.root(new BoardRoot(realm.board)));
        PbClient client = client();
        RemoteReference board = get(get(client.getRootObject()).callRemote("board"));
        assertThat(failure(board.callRemote("move", 1, 2)))
                .isInstanceOf(NotLoggedInException.class)
                .hasMessageContaining("log in first");
        assertThat(get(board.<Integer>callRemote("size"))).isZero(); // remote_ still works
        get(client.login("alice", ALICE_PASSWORD, null));
        assertThat(get(board.<String>callRemote("move", 1, 2))).isEqualTo("alice:1-2");
    }

    @Test
    void theServerCallsTheMindBack() throws Exception {
        start(b -> b);
        Mind mind = new Mind();
        RemoteReference perspective = get(client().login("alice", ALICE_PASSWORD, mind));
        assertThat(get(perspective.<String>callRemote("ping", "hello"))).isEqualTo("got it");
        assertThat(mind.pushed).containsExactly("server says hello");
        Player alice = realm.last("alice");
        assertThat(alice.mind).isNotNull();
        assertThat(get(alice.mind.<String>callRemote("push", "direct"))).isEqualTo("got it");
        assertThat(mind.pushed).containsExactly("server says hello", "direct");
    }

    @Test
    void aRealmMayCallTheMindAndWaitForItsAnswer() throws Exception {
        fixture.start(PbServer.builder().passwords(passwords)
                .realm((id, mind, connection) -> {
                    try { // blocks on a call to the client while the login is in progress
                        String reply = mind.<String>callRemote("push", "welcome " + id)
                                .get(10, TimeUnit.SECONDS);
                        return new Player(id + " (" + reply + ")", mind, realm.board);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
        Mind mind = new Mind();
        RemoteReference perspective = get(client().login("alice", ALICE_PASSWORD, mind));
        assertThat(mind.pushed).containsExactly("welcome alice");
        assertThat(get(perspective.<String>callRemote("name"))).isEqualTo("alice (got it)");
    }

    @Test
    void aServerWithoutLoginIsRefusedLocally() throws Exception {
        fixture.start(PbServer.builder().root(new BoardRoot(realm.board)));
        PbClient client = client();
        assertThat(failure(client.login("alice", ALICE_PASSWORD, null)))
                .isInstanceOf(PbException.class)
                .hasMessageContaining("does not offer login");
        assertThat(client.connection().isOpen()).isTrue();
    }

    @Test
    void aServerThatCannotSignIsNotTrusted() throws Exception {
        // A verifier with the right StoredKey but another ServerKey: the server accepts the
        // proof but cannot prove it holds alice's verifier (an impostor with a stolen StoredKey).
        ScramVerifier real = ScramVerifier.create(ALICE_PASSWORD, 4096);
        ScramVerifier forged = ScramVerifier.of(real.salt(), real.iterations(),
                real.storedKey(), new byte[32]);
        passwords.add("alice", forged);
        start(b -> b);
        PbClient client = client();
        assertThat(failure(client.login("alice", ALICE_PASSWORD, null)))
                .isInstanceOf(ServerAuthenticationException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.connection().isOpen());
        Player alice = realm.last("alice");
        assertThat(alice.ended.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSavedLoginLogsInAgainOnANewConnectionWithoutThePassword() throws Exception {
        start(b -> b);
        Mind mind = new Mind();
        PbClient first = client();
        get(first.login("alice", ALICE_PASSWORD, mind));
        SavedLogin saved = first.savedLogin();
        assertThat(saved).isNotNull();
        first.close();

        PbClient second = client();
        RemoteReference perspective = get(second.loginAgain(saved));
        assertThat(get(perspective.<String>callRemote("ping", "again"))).isEqualTo("got it");
        assertThat(mind.pushed).containsExactly("server says again");

        passwords.add("alice", "a new password".toCharArray()); // a new salt: keys are stale
        assertThat(failure(client().loginAgain(saved)))
                .isInstanceOf(LoginFailedException.class)
                .hasMessageContaining("log in with the password again");
        get(second.logout());
        assertThat(second.savedLogin()).isNull();
    }
}
