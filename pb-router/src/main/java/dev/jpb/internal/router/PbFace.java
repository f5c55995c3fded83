package dev.jpb.internal.router;

import dev.jpb.CallContext;
import dev.jpb.Connection;
import dev.jpb.Referenceable;
import dev.jpb.Root;
import dev.jpb.router.WampError;
import java.util.Map;

/**
 * The jpb face: a root whose {@code remote_join(realm)} answers a {@link PbSession}, the
 * reference through which that client subscribes, publishes, registers and calls.
 */
public final class PbFace extends Root {
    private final RouterCore core;

    /**
     * Creates the face.
     *
     * @param core the router it serves
     */
    public PbFace(RouterCore core) {
        this.core = core;
    }

    /**
     * Joins a realm.
     *
     * @param realmName the realm
     * @return the session object, closed with its connection
     * @throws WampError {@code wamp.error.no_such_realm}
     */
    public Referenceable remote_join(String realmName) {
        Realm realm = core.realm(realmName);
        if (realm == null) {
            throw WampError.of("wamp.error.no_such_realm", "this router serves realms "
                    + core.realms().stream().map(Realm::name).toList() + ", not " + realmName);
        }
        Connection connection = CallContext.current().connection();
        PbSession peer = new PbSession(realm, connection, core.maxQueuedEvents());
        Session session = realm.join(peer, Map.of("authid", "jpb-" + connection.id(),
                "authrole", "anonymous", "authmethod", "anonymous", "authprovider", "static",
                "transport", Map.of("type", "jpb", "peer",
                        String.valueOf(connection.remoteAddress()))));
        peer.attach(session);
        connection.closeFuture().whenComplete((v, e) -> realm.leave(session));
        return peer;
    }
}
