package dev.jpb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code remote_} method that never blocks and returns quickly, so that jpb may run it
 * on the connection's I/O thread (the event loop that read the call) instead of handing it to
 * the executor. That saves two thread hand-offs per call: on a sequential call, most of what
 * jpb costs over a hand-written Netty exchange.
 *
 * <p>jpb runs a marked method on the I/O thread only when no earlier call of the same
 * connection is queued or running; otherwise it takes its turn on the executor as usual, so
 * the connection's calls still start in arrival order. A method that returns a
 * {@code CompletionStage} is a good fit: it frees the I/O thread at once, and the caller is
 * answered when the stage completes.
 *
 * <p>What a marked method must not do: block on a jpb future ({@code get()}, {@code join()}:
 * on the I/O thread that throws {@link BlockingCallException} rather than deadlock the thread
 * that would read the answer; on the executor it would wait, so the method fails or not
 * depending on timing), or block in any other way (locks held for long, I/O,
 * {@code Thread.sleep}), which stalls every connection served by that I/O thread. The mark is read from the method as the
 * exported object's class has it: an overriding method must carry it itself.
 *
 * <p>A {@link RemoteCache}'s {@code observe_} method may carry the mark too, with the same
 * rules: an update whose method is marked runs on the I/O thread that read it when no earlier
 * call or update of the connection is held, queued or running (and the copy's change
 * listeners then run there as well, after it); otherwise it takes its turn on the executor.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NonBlocking {
}
