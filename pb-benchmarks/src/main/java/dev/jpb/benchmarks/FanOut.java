package dev.jpb.benchmarks;

import java.util.concurrent.TimeoutException;

/**
 * One side of a fan-out benchmark (W6, W9): a server with its clients connected, which sends
 * one message to every client and waits until all of them have taken it.
 */
interface FanOut extends AutoCloseable {
    /** The size of the {@code byte[]} (jpb) or frame body (the floor) each delivery carries. */
    int PAYLOAD_BYTES = 32;

    /**
     * Sends one message to every client and waits until all have taken it.
     *
     * @throws TimeoutException if some have not arrived after 30 s
     */
    void deliverToAll() throws InterruptedException, TimeoutException;

    /** Closes the clients, their threads and the server. */
    @Override
    void close();
}
