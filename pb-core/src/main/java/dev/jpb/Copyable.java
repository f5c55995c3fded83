package dev.jpb;

/**
 * Marks a class, record or enum passed by copy: it travels as its fields and the peer builds
 * its own instance. Both ends must register the type ({@code builder().register(Type.class)});
 * fields that hold references should be declared {@code Object} (or a collection type), since
 * the sender holds a {@link Referenceable} and the receiver a {@link RemoteReference}.
 */
public interface Copyable {
}
