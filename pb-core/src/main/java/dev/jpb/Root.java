package dev.jpb;

/**
 * The object a server exposes first: a client's {@code getRootObject()} answers a reference to
 * it. Override {@link #rootObject(Connection)} to give each connection an object of its own.
 */
public class Root extends Referenceable {
    /** Creates a root. */
    public Root() {
    }

    /**
     * Returns the object a connection receives as its root; called once per connection, the
     * first time the peer asks for it, on the application's executor.
     *
     * @param connection the connection asking
     * @return the root for that connection; by default this object, shared by every connection
     */
    public Referenceable rootObject(Connection connection) {
        return this;
    }
}
