package dev.jpb.thin;

/**
 * The types that cross the wire between a server and a thin client. A server that pushes to
 * thin clients registers them: {@code PbServer.builder().register(ThinTypes.classes())}.
 */
public final class ThinTypes {
    private ThinTypes() {
    }

    /** {@return the copyable types of the thin-client protocol (a new array each call)} */
    public static Class<?>[] classes() {
        return new Class<?>[] {UiBundle.class, WindowSpec.class, WindowModality.class,
            UiEvent.class, UiBundleException.class, CodeRefusedException.class};
    }
}
