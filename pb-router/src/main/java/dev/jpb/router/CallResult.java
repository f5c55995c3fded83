package dev.jpb.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a routed call, or what a callee answers with.
 *
 * @param args   positional results (never null)
 * @param kwargs keyword results (never null)
 */
public record CallResult(List<Object> args, Map<String, Object> kwargs) {
    /**
     * Normalises nulls to empty collections.
     *
     * @param args positional results; null means none
     * @param kwargs keyword results; null means none
     */
    public CallResult {
        args = args == null ? new ArrayList<>() : args;
        kwargs = kwargs == null ? new LinkedHashMap<>() : kwargs;
    }

    /**
     * Returns a result of positional values.
     *
     * @param args the values
     * @return the result
     */
    public static CallResult of(Object... args) {
        return new CallResult(new ArrayList<>(Arrays.asList(args)), new LinkedHashMap<>());
    }

    /** {@return the first positional result, or null when there is none} */
    public Object single() {
        return args.isEmpty() ? null : args.get(0);
    }
}
