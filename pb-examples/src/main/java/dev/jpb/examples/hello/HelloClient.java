package dev.jpb.examples.hello;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;

/** Calls the hello server's root: {@code add(2, 3)} and {@code echo("hi")}. */
public final class HelloClient {
    private HelloClient() {
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

    public static void main(String[] args) throws Exception {
        System.out.println(run(args.length > 0 ? Integer.parseInt(args[0]) : 8789));
    }
}
