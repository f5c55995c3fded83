package dev.jpb.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JpbState} in a fork started with {@code -D}{@value #PROPERTY}{@code =true}: calls
 * encode their arguments on the caller's thread before {@code callRemote} returns (jpb's
 * internal switch, read once per JVM; docs/performance.md, "Encoding on the caller"). The
 * benchmarks using it set the property with {@code @Fork(jvmArgsPrepend = ...)}, which the
 * {@code -jvmArgsAppend} of {@code run.sh} leaves in place; the set-up refuses to run without
 * it, so a row can never measure the default by mistake.
 */
@State(Scope.Benchmark)
public class JpbEncodeOnCallerState extends JpbState {
    /** jpb's internal switch. */
    static final String PROPERTY = "jpb.internal.encodeOnCaller";
    /** The fork's argument that turns it on. */
    static final String ON = "-D" + PROPERTY + "=true";

    /** Fails the trial unless this fork encodes on the caller. */
    @Setup(Level.Trial)
    public void checkSwitch() {
        if (!Boolean.getBoolean(PROPERTY)) {
            throw new IllegalStateException(PROPERTY + " is not true in this fork; run the"
                    + " benchmark with the JVM argument " + ON);
        }
    }
}
