package dev.jpb.client;

/**
 * Where a {@link PbClient}'s link to its server stands, as {@link
 * PbClient#onStateChange} reports it.
 */
public enum ConnectionState {
    /** Connecting (or waiting to retry, when reconnecting): calls cannot be made yet. */
    CONNECTING,
    /** Connected, set up, and the root fetched: {@code onConnected} listeners have been run. */
    CONNECTED,
    /** The connection was lost or closed; a reconnecting client will try again. */
    DISCONNECTED
}
