package dev.jpb.thin;

import dev.jpb.RemoteReference;

/** What a pushed controller knows of where it runs; see {@link ThinController}. */
public interface ThinContext {
    /**
     * Returns the server-side object pushed with the bundle (the {@code controller} argument of
     * {@link RemoteWindow#open}), or {@code null} if the server passed none.
     *
     * @return the reference to the server-side controller, or {@code null}
     */
    RemoteReference server();

    /** {@return the id of the window this controller's document is shown in} */
    String windowId();
}
