package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.WampError;
import java.util.List;
import java.util.Map;

/**
 * The transport of a stand-in session: a session of another cluster node as this node's realm
 * sees it. Invocations, interrupts and kills travel to that node over NATS; it never
 * subscribes here (events reach its node by the cluster's broadcast) and never calls here
 * (its node routes its calls).
 */
final class RemotePeer implements Peer {
    private final ClusterNode cluster;
    private final Realm realm;
    private final String node;
    private final long sessionId;

    RemotePeer(ClusterNode cluster, Realm realm, String node, long sessionId) {
        this.cluster = cluster;
        this.realm = realm;
        this.node = node;
        this.sessionId = sessionId;
    }

    @Override
    public boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        return true; // stand-ins hold no subscriptions
    }

    @Override
    public void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        RegistrationEntry e = realm.registrationsById().get(registrationId); // realm lock held
        cluster.sendInvoke(node, realm.name(), requestId, sessionId, e.uri, e.match, details,
                args, kwargs);
    }

    @Override
    public boolean canInterrupt() {
        return true; // its node downgrades kill to skip when the callee cannot be interrupted
    }

    @Override
    public void interrupt(long requestId, CancelMode mode) {
        cluster.sendInterrupt(node, realm.name(), requestId, mode);
    }

    @Override
    public void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        // a stand-in never calls through this node
    }

    @Override
    public void callError(long requestId, WampError error) {
        // a stand-in never calls through this node
    }

    @Override
    public void kill(String reasonUri, String message) {
        cluster.sendKill(node, realm.name(), sessionId, reasonUri, message);
    }
}
