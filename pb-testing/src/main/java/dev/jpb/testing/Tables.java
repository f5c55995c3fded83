package dev.jpb.testing;

import dev.jpb.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What is left in the reference tables of a server's and its clients' connections. */
final class Tables {
    private Tables() {
    }

    /**
     * Lists what is still held: nothing may be, on the clients' connections and on the
     * server's, except roots and sessions: a client whose root (from the kit) is still
     * referenced may import it, and one that is logged in its perspective (which the client
     * holds until logout), and the server may export those; each server connection of a
     * client the kit did not make may keep one export (its root, held by that client).
     *
     * @param clients the connections of clients made by the kit during the test
     * @param held how many imports each of {@code clients} may keep: 1 for a root reference
     *     still reachable, 1 for a current session's perspective
     * @param server the server's live connections
     * @return one line per connection still holding something; empty if all drained
     */
    static List<String> undrained(List<Connection> clients, Map<Connection, Integer> held,
            Collection<Connection> server) {
        List<String> problems = new ArrayList<>();
        int n = 0;
        int allowed = 0; // imports the clients may keep: roots and perspectives
        for (Connection c : clients) {
            n++;
            if (!c.isOpen()) {
                continue;
            }
            int kept = held.getOrDefault(c, 0);
            allowed += kept;
            int exports = c.exportedObjectCount();
            int imports = c.importedReferenceCount();
            if (exports > 0 || imports > kept) {
                problems.add("client #" + n + " " + c + ": exports " + exports
                        + " (its objects the server holds references to), imports " + imports
                        + " (references it holds to server objects)");
            }
        }
        int open = (int) clients.stream().filter(Connection::isOpen).count();
        int foreign = Math.max(0, server.size() - open);
        int exported = 0;
        for (Connection c : server) {
            exported += c.exportedObjectCount();
            if (c.importedReferenceCount() > 0) {
                problems.add("server " + c + ": imports " + c.importedReferenceCount()
                        + " (references it holds to its client's objects)");
            }
        }
        if (exported > foreign + allowed) {
            for (Connection c : server) {
                if (c.exportedObjectCount() > 0) {
                    problems.add("server " + c + ": exports " + c.exportedObjectCount()
                            + " (server objects its client holds references to)");
                }
            }
            if (foreign + allowed > 0) {
                problems.add("(" + (foreign + allowed) + " of these exports may be roots still"
                        + " held by a client)");
            }
        }
        return problems;
    }
}
