package dev.jpb.thin;

import dev.jpb.Copyable;

/** How a pushed window blocks the others (JavaFX's {@code Modality}, as a copyable value). */
public enum WindowModality implements Copyable {
    /** Blocks no other window. */
    NONE,
    /** Blocks its owner window ({@link WindowSpec#owner()}) and the owner's owners. */
    WINDOW_MODAL,
    /** Blocks every other window of the client. */
    APPLICATION_MODAL
}
