package dev.jpb.thin;

import dev.jpb.PbError;

/**
 * The client refused a bundle that carries classes because it does not trust the server to
 * run code on it. Pushed code runs with the client's full rights, so a client accepts it only
 * from a server it authenticated (TLS with a pinned or CA-trusted certificate:
 * {@code --pin sha256:...} or {@code --trust certificates.pem}) or, when started with
 * {@code --allow-code-from-localhost}, from a server on a loopback address. Bundles without
 * classes (server-side controllers) are still shown. Crosses the wire as itself.
 */
public class CodeRefusedException extends PbError {
    private static final long serialVersionUID = 1L;

    /** For deserialization. */
    public CodeRefusedException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message why the code was refused and how the client could accept it
     */
    public CodeRefusedException(String message) {
        super(message);
    }
}
