package dev.jpb.examples.login;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import dev.jpb.server.Realm;
import java.nio.file.Path;
import java.util.Set;

/**
 * The game server: users log in over TLS (default port 8792). Alice and carol are players,
 * bob is the referee; all share one {@link Board}. Its TLS identity lives in {@code DIR}
 * (default {@code jpb-login}): made on the first start, loaded afterwards, so the fingerprint
 * clients pin stays the same. The passwords are the example's own (see {@link #DEMO_PASSWORD});
 * a real server would load {@code ScramVerifier} lines from its database instead.
 * Run: {@code GameServer [PORT [DIR]]}.
 */
public final class GameServer {
    /** Every demo user's password is its name followed by this. */
    public static final String DEMO_PASSWORD = "-secret";

    private static final Set<String> REFEREES = Set.of("bob");

    private GameServer() {
    }

    /** The realm: a referee's perspective for bob, a player's for everyone else. */
    static final class GameRealm implements Realm {
        final Board board = new Board();

        @Override
        public Avatar requestAvatar(String avatarId, RemoteReference mind,
                Connection connection) {
            return REFEREES.contains(avatarId) ? new Referee(avatarId, board, mind)
                    : new Player(avatarId, board, mind);
        }
    }

    /** Loads the identity kept in {@code dir}, or makes one there on the first start. */
    public static TlsIdentity identity(Path dir) {
        return TlsIdentity.loadOrCreateSelfSigned(dir.resolve("server.pem"),
                dir.resolve("server-key.pem"), "localhost", "127.0.0.1");
    }

    /** The demo users, as verifiers: the server never keeps a password. */
    static Passwords users() {
        Passwords passwords = Passwords.create();
        for (String user : new String[] {"alice", "bob", "carol"}) {
            passwords.add(user, (user + DEMO_PASSWORD).toCharArray());
        }
        return passwords;
    }

    /** Starts the game on {@code port} (0: any free one), serving TLS as {@code identity}. */
    public static PbServer start(int port, TlsIdentity identity) {
        return PbServer.builder()
                .realm(new GameRealm())
                .passwords(users())
                .tls(identity)
                .bind("127.0.0.1", port)
                .build()
                .start();
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8792;
        Path dir = Path.of(args.length > 1 ? args[1] : "jpb-login");
        TlsIdentity identity = identity(dir);
        PbServer server = start(port, identity);
        System.out.println("game server on port " + server.port() + ", identity in " + dir);
        System.out.println("play with: GameClient " + server.port() + " "
                + identity.fingerprint() + " alice");
        Thread.currentThread().join();
    }
}
