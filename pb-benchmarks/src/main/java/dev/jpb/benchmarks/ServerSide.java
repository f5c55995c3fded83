package dev.jpb.benchmarks;

/**
 * A benchmark state's server half, which runs either in the benchmark's JVM (the default) or,
 * with {@code -D}{@value ServerProcess#TWO_JVM}{@code =true}, in a child JVM of its own
 * ({@link ServerProcess}, which makes a new instance of the state there and starts this).
 */
interface ServerSide {
    /**
     * Starts the server in this JVM and returns what a client needs to reach it, one line of
     * text: the port, then for RMI a space and the serialized stub.
     *
     * @throws Exception if the server cannot start
     */
    String startServer() throws Exception;

    /**
     * Stops the server {@link #startServer} started, if it did.
     *
     * @throws Exception if closing fails
     */
    void stopServer() throws Exception;
}
