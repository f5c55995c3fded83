package dev.jpb.testing;

import dev.jpb.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What is left in the reference tables of a server's and its clients' connections. */
final class Tables {
    private Tables() {
    }

    /**
     * Lists what is still held: nothing may be, on the clients' connections and on the
     * server's, except that each server connection of a client the kit did not make may keep
     * one export (its root, held by that client).
     *
     * @param clients the open connections of clients made by the kit during the test
     * @param server the server's live connections
     * @return one line per connection still holding something; empty if all drained
     */
    static List<String> undrained(List<Connection> clients, Collection<Connection> server) {
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Connection c : clients) {
            n++;
            if (!c.isOpen()) {
                continue;
            }
            int exports = c.exportedObjectCount();
            int imports = c.importedReferenceCount();
            if (exports > 0 || imports > 0) {
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
        if (exported > foreign) {
            for (Connection c : server) {
                if (c.exportedObjectCount() > 0) {
                    problems.add("server " + c + ": exports " + c.exportedObjectCount()
                            + " (server objects its client holds references to)");
                }
            }
            if (foreign > 0) {
                problems.add("(" + foreign + " server connection(s) of clients the kit did not"
                        + " make may keep one export each, their root)");
            }
        }
        return problems;
    }
}
