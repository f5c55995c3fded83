package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.WampError;
import java.util.List;
import java.util.Map;

/**
 * The transport of a relay: the caller, as this node sees it, of every invocation another node
 * routed to one of this node's callees. Answers travel back to that node over NATS, under the
 * request id that node gave the invocation.
 */
final class RelayPeer implements Peer {
    private final ClusterNode cluster;
    private final String realm;
    private final String node;

    RelayPeer(ClusterNode cluster, String realm, String node) {
        this.cluster = cluster;
        this.realm = realm;
        this.node = node;
    }

    @Override
    public boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        return true; // a relay subscribes to nothing
    }

    @Override
    public void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        // a relay registers nothing
    }

    @Override
    public boolean canInterrupt() {
        return false;
    }

    @Override
    public void interrupt(long requestId, CancelMode mode) {
    }

    @Override
    public void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        cluster.sendResult(node, realm, requestId, details, args, kwargs);
    }

    @Override
    public void callError(long requestId, WampError error) {
        cluster.sendError(node, realm, requestId, error);
    }

    @Override
    public void kill(String reasonUri, String message) {
    }
}
