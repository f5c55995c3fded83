package dev.jpb;

/**
 * An object passed by reference: the peer receives a {@link RemoteReference} through which it
 * calls this object's public methods named {@code remote_<name>}.
 *
 * <p>An instance stays exported on a connection while the peer holds a reference to it; the
 * peer's garbage collector (or {@link RemoteReference#release()}) gives it back. A reference
 * sent back to this side arrives as this very object. Two public {@code remote_} methods with
 * the same name and arity are refused when the class is first sent. Methods run on the
 * application's executor, never on an I/O thread; calls from one connection start in the order
 * they arrived, so an implementation touched by one connection needs no locking of its own, but
 * one shared by several connections must be thread-safe.
 */
public abstract class Referenceable {
    /** Creates a referenceable object. */
    protected Referenceable() {
    }
}
