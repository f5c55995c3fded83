package dev.jpb.examples.login;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A game client: pins the server's fingerprint, logs in, and prints what the server pushes to
 * its mind. Typed lines: a cell number (0-8) moves there, {@code reset} resets (the referee
 * only), {@code board} shows the board. Run: {@code GameClient PORT sha256:... USER}.
 */
public final class GameClient implements AutoCloseable {
    /** The client's mind: the server calls {@code remote_news} on every change. */
    public static final class Mind extends Referenceable {
        final BlockingQueue<String> news = new LinkedBlockingQueue<>();

        /** A change on the board, pushed by the server. */
        public void remote_news(String text) {
            news.add(text);
        }
    }

    private final PbClient client;
    private final Mind mind = new Mind();
    private final RemoteReference perspective;
    private final RemoteReference board;

    private GameClient(PbClient client, String user, char[] password) throws Exception {
        this.client = client;
        this.perspective = client.login(user, password, mind).get(10, TimeUnit.SECONDS);
        this.board = perspective.<RemoteReference>callRemote("board").get(10, TimeUnit.SECONDS);
    }

    /** Connects over TLS to the server with that fingerprint and logs in as {@code user}. */
    public static GameClient login(int port, String fingerprint, String user, char[] password)
            throws Exception {
        PbClient client = PbClient.builder().pinServer(fingerprint).connect("127.0.0.1", port);
        try {
            return new GameClient(client, user, password);
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    /** Says who the server thinks we are ({@code perspective_whoami}). */
    public String whoami() throws Exception {
        return perspective.<String>callRemote("whoami").get(10, TimeUnit.SECONDS);
    }

    /** Moves to {@code cell}: the board learns who moved from the session, not from us. */
    public String move(int cell) throws Exception {
        return board.<String>callRemote("move", cell).get(10, TimeUnit.SECONDS);
    }

    /** Resets the board (a referee's perspective only). */
    public void reset() throws Exception {
        perspective.callRemote("reset").get(10, TimeUnit.SECONDS);
    }

    /** Returns the board's cells. */
    public List<String> cells() throws Exception {
        return board.<List<String>>callRemote("cells").get(10, TimeUnit.SECONDS);
    }

    /** Waits up to {@code seconds} for the next push from the server; null if none came. */
    public String nextNews(long seconds) throws InterruptedException {
        return mind.news.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) throws Exception {
        String user = args[2];
        char[] password = System.console() != null
                ? System.console().readPassword("password for %s: ", user)
                : (user + GameServer.DEMO_PASSWORD).toCharArray();
        try (GameClient game = login(Integer.parseInt(args[0]), args[1], user, password)) {
            java.util.Arrays.fill(password, '\0');
            System.out.println("logged in as " + game.whoami());
            Thread printer = new Thread(() -> {
                try {
                    while (true) {
                        String news = game.mind.news.take();
                        System.out.println("* " + news);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            printer.setDaemon(true);
            printer.start();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                try {
                    switch (line.trim()) {
                        case "reset" -> game.reset();
                        case "board" -> System.out.println(game.cells());
                        default -> System.out.println(game.move(Integer.parseInt(line.trim())));
                    }
                } catch (Exception e) {
                    System.out.println("refused: " + e.getCause());
                }
            }
        }
    }
}
