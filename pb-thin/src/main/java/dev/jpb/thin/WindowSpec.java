package dev.jpb.thin;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;

/**
 * How a pushed window looks from outside: title, size, modality and owner. Immutable.
 *
 * <pre>{@code
 * WindowSpec spec = WindowSpec.titled("Order").size(480, 320)
 *         .modality(WindowModality.WINDOW_MODAL).owner("main");
 * }</pre>
 *
 * @param title the window title
 * @param width the scene width in pixels; 0 sizes the window to its content
 * @param height the scene height in pixels; 0 sizes the window to its content
 * @param modality what the window blocks while it is open
 * @param owner the id of the owner window, or {@code null} for none (a
 *     {@link WindowModality#WINDOW_MODAL} window needs one: the client refuses it otherwise)
 */
public record WindowSpec(String title, double width, double height, WindowModality modality,
        String owner) implements Copyable {
    /**
     * Checks the values.
     *
     * @param title the window title
     * @param width the scene width in pixels; 0 sizes the window to its content
     * @param height the scene height in pixels; 0 sizes the window to its content
     * @param modality what the window blocks while it is open
     * @param owner the id of the owner window, or {@code null} for none
     * @throws IllegalArgumentException if a size is negative
     */
    public WindowSpec {
        requireNonNull(title, "title");
        requireNonNull(modality, "modality");
        checkArgument(width >= 0 && height >= 0, "size: %sx%s (expected: >= 0)", width, height);
    }

    /**
     * Returns a window with this title, sized to its content, not modal, without owner.
     *
     * @param title the window title
     * @return the spec
     */
    public static WindowSpec titled(String title) {
        return new WindowSpec(title, 0, 0, WindowModality.NONE, null);
    }

    /**
     * Returns a copy with this scene size in pixels (0 = size to content).
     *
     * @param width the scene width in pixels, &gt;= 0
     * @param height the scene height in pixels, &gt;= 0
     * @return the copy
     */
    public WindowSpec size(double width, double height) {
        return new WindowSpec(title, width, height, modality, owner);
    }

    /**
     * Returns a copy with this modality.
     *
     * @param modality what the window blocks while it is open
     * @return the copy
     */
    public WindowSpec modality(WindowModality modality) {
        return new WindowSpec(title, width, height, modality, owner);
    }

    /**
     * Returns a copy owned by the window with this id.
     *
     * @param ownerWindowId the id of the owner window, or {@code null} for none
     * @return the copy
     */
    public WindowSpec owner(String ownerWindowId) {
        return new WindowSpec(title, width, height, modality, ownerWindowId);
    }
}
