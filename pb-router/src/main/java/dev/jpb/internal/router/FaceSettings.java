package dev.jpb.internal.router;

import java.time.Duration;

/**
 * What the WAMP and HTTP faces need to know, fixed when the endpoint is built.
 *
 * @param maxMessageBytes      largest WAMP message (one WebSocket message) accepted
 * @param maxMessagesPerSecond WAMP messages one session may send per second before the router
 *                             stops reading from it for the rest of that second
 * @param maxQueuedBytes       bytes waiting to be written to one WebSocket before its events
 *                             are dropped (the slow-subscriber bound)
 * @param maxHttpBytes         largest HTTP request body of the bridge
 * @param bearerToken          the bridge's token, or null
 * @param bridgeOpen           whether the bridge answers requests without a token
 * @param bridgeCallTimeout    the timeout of a bridge call that names none
 * @param staticRoot           classpath folder served at {@code /}, or null
 */
public record FaceSettings(int maxMessageBytes, int maxMessagesPerSecond, int maxQueuedBytes,
        int maxHttpBytes, String bearerToken, boolean bridgeOpen, Duration bridgeCallTimeout,
        String staticRoot) {
}
