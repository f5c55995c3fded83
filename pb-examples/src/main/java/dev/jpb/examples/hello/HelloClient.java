package dev.jpb.examples.hello;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.util.concurrent.CompletionStage;

/** Calls the hello server's root: {@code add(2, 3)} and {@code echo("hi")}. */
public final class HelloClient {
    private HelloClient() {
    }

    /**
     * The calculator seen through a typed proxy: each method calls the {@code remote_} method
     * of the same name and blocks for the answer.
     */
    public interface Calc {
        /** Calls {@code remote_add} and waits for the sum. */
        int add(int a, int b);

        /** Calls {@code remote_echo} and waits for the text. */
        String echo(String text);
    }

    /** The same calls without blocking: a {@link CompletionStage} return makes a method async. */
    public interface AsyncCalc {
        /** Calls {@code remote_add}; the stage completes with the sum. */
        CompletionStage<Integer> add(int a, int b);
    }

    /** Connects, calls both methods and returns what they answered. */
    public static String run(int port) throws Exception {
        try (PbClient client = PbClient.connect("127.0.0.1", port)) {
            RemoteReference root = client.getRootObject().get();
            int sum = root.<Integer>callRemote("add", 2, 3).get();
            String echo = root.<String>callRemote("echo", "hi").get();
            return "add(2, 3) = " + sum + ", echo(\"hi\") = " + echo;
        }
    }

    /** Does the same through typed proxies ({@link RemoteReference#as}). */
    public static String runTyped(int port) throws Exception {
        try (PbClient client = PbClient.connect("127.0.0.1", port)) {
            RemoteReference root = client.getRootObject().get();
            Calc calc = root.as(Calc.class);
            int sum = calc.add(2, 3);
            String echo = calc.echo("hi");
            int later = root.as(AsyncCalc.class).add(4, 5).toCompletableFuture().get();
            return "add(2, 3) = " + sum + ", echo(\"hi\") = " + echo + ", add(4, 5) = " + later;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8789;
        System.out.println(run(port));
        System.out.println(runTyped(port));
    }
}
