/**
 * WAMP-style routing on the object model: {@link dev.jpb.router.Router} (realms,
 * subscriptions, registrations), {@link dev.jpb.router.RouterEndpoint} (the WAMP v2 WebSocket
 * face, the HTTP bridge and the jpb face) and {@link dev.jpb.router.RouterClient} (the typed
 * jpb client).
 */
package dev.jpb.router;
