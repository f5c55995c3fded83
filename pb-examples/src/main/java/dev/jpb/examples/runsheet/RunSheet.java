package dev.jpb.examples.runsheet;

import dev.jpb.Root;
import dev.jpb.cache.CacheableMap;
import dev.jpb.cache.StepBarrier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's root: the run sheet every client watches, the procedure's steps, and the one
 * call a client makes to write on the sheet. Thread-safe.
 */
public final class RunSheet extends Root {
    private final CacheableMap<String, String> sheet = new CacheableMap<>();
    private final StepBarrier steps = new StepBarrier();

    /** Returns the sheet: each client gets a copy that stays in sync. */
    public CacheableMap<String, String> remote_sheet() {
        return sheet;
    }

    /** Returns the procedure's steps: each client gets a view of the current step. */
    public StepBarrier remote_steps() {
        return steps;
    }

    /** Writes {@code value} against {@code item} on the sheet; every copy sees it. */
    public void remote_note(String item, String value) {
        sheet.put(item, value);
    }

    /** Returns the sheet as the server has it. */
    public CacheableMap<String, String> sheet() {
        return sheet;
    }

    /** Returns how many clients follow the steps. */
    public int followers() {
        return steps.participants().size();
    }

    /**
     * Walks every client through {@code labels}, one step at a time: announces a step, waits
     * until every client acknowledged it, then the next.
     *
     * @return the numbers of the steps done
     * @throws java.util.concurrent.ExecutionException with a
     *     {@link dev.jpb.cache.StepTimeoutException} naming the clients that did not
     *     acknowledge a step within {@code timeout}
     */
    public List<Integer> walk(List<String> labels, Duration timeout) throws Exception {
        List<Integer> done = new ArrayList<>();
        for (String label : labels) {
            done.add(steps.advance(label, timeout).get());
        }
        return done;
    }
}
