package dev.jpb.thin;

import dev.jpb.PbError;

/**
 * A pushed {@link UiBundle} could not be shown: malformed FXML, a resource it refers to that
 * is not in the bundle, a controller that failed, classes whose digest does not match. The
 * window it was meant for is left as it was and the client stays usable. Crosses the wire as
 * itself (both ends register {@link ThinTypes#classes()}).
 */
public class UiBundleException extends PbError {
    private static final long serialVersionUID = 1L;

    /** The bundle path or class name at fault, or {@code null} if none is. */
    private String resource;

    /** For deserialization. */
    public UiBundleException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message what could not be shown and what to fix in the bundle
     */
    public UiBundleException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message, naming the bundle entry at fault.
     *
     * @param message what could not be shown and what to fix in the bundle
     * @param resource the bundle path (or class name) at fault, or {@code null}
     */
    public UiBundleException(String message, String resource) {
        super(message);
        this.resource = resource;
    }

    /** {@return the bundle path or class name at fault, or {@code null} if none is} */
    public String resource() {
        return resource;
    }
}
