package dev.jpb.router;

import dev.jpb.PbError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WAMP error: a URI such as {@code wamp.error.no_such_procedure} plus optional arguments.
 *
 * <p>The router answers every refused subscribe, register, publish or call with one, on the jpb
 * face as on the WAMP face; a callee throws one to answer its caller with an application error.
 * It crosses jpb connections as itself when both ends registered {@link Router#wireTypes()}
 * (which {@link RouterClient#connect} does).
 */
public class WampError extends PbError {
    private static final long serialVersionUID = 1L;

    /** The error URI, e.g. {@code wamp.error.no_such_procedure}. */
    private String uri;
    /** The positional arguments; null if a decoded form had none (read as empty). */
    private ArrayList<Object> args;
    /** The keyword arguments; null if a decoded form had none (read as empty). */
    private LinkedHashMap<String, Object> kwargs;

    /** For the wire decoder. */
    public WampError() {
        this("wamp.error.runtime_error", List.of(), Map.of());
    }

    /**
     * Creates an error with a URI and no arguments.
     *
     * @param uri the error URI
     */
    public WampError(String uri) {
        this(uri, List.of(), Map.of());
    }

    /**
     * Creates an error with a URI and arguments.
     *
     * @param uri    the error URI, e.g. {@code wamp.error.invalid_uri}
     * @param args   positional arguments (commonly one message string); copied
     * @param kwargs keyword arguments; copied
     */
    public WampError(String uri, List<?> args, Map<String, ?> kwargs) {
        super(describe(uri, args));
        this.uri = Objects.requireNonNull(uri, "uri");
        this.args = args == null ? new ArrayList<>() : new ArrayList<>(args);
        this.kwargs = kwargs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(kwargs);
    }

    /**
     * Creates an error with a URI and one message argument.
     *
     * @param uri     the error URI
     * @param message a message saying what happened and what to do; sent as the only argument
     * @return the error
     */
    public static WampError of(String uri, String message) {
        return new WampError(uri, List.of(message), Map.of());
    }

    /** {@return the error URI} */
    public String uri() {
        return uri;
    }

    /** {@return the positional arguments (unmodifiable, never null)} */
    public List<Object> args() {
        return args == null ? List.of() : Collections.unmodifiableList(args);
    }

    /** {@return the keyword arguments (unmodifiable, never null)} */
    public Map<String, Object> kwargs() {
        return kwargs == null ? Map.of() : Collections.unmodifiableMap(kwargs);
    }

    private static String describe(String uri, List<?> args) {
        return args == null || args.isEmpty() ? uri : uri + ": " + args.get(0);
    }
}
