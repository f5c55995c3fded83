package dev.jpb.internal.twisted;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jpb.PbException;
import dev.jpb.internal.fuzz.FuzzChecks;
import dev.jpb.twisted.BananaException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets (d) for the Twisted PB wire: the Banana decoder and the Jelly unserializer
 * ({@link #bananaAndJelly}), and a whole {@link TwistedBroker} serving a root after the
 * dialect was chosen ({@link #brokerAfterDialect}). The seeds are real Twisted 22.4 traffic,
 * captured by {@code src/test/python/capture_twisted.py}.
 *
 * <p>Invariants, per input: the decoder fails only with a {@link BananaException}; Jelly
 * returns a value or throws a {@link PbException} whose chain holds no programming error and
 * no {@link Error}; what one expression decodes to is bounded by its bytes; the broker answers
 * every call with an answer or an error whose Python type is not a JDK programming error; and
 * no buffer is left allocated once the channel is closed.
 */
@Timeout(120)
class TwistedFuzzTest {
    /**
     * An input is Banana bytes in the {@code pb} dialect. Each top-level expression is
     * unjellied the way the broker does: a {@code message}'s arguments and keywords, an
     * {@code answer}'s or {@code error}'s value, any other expression as a whole.
     */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/banana.dict")
    @FuzzTest(maxDuration = "60s")
    void bananaAndJelly(byte[] data) {
        try (TwistedFuzzing f = TwistedFuzzing.decoderOnly()) {
            for (Object sexp : f.decode(data)) {
                for (Object part : parts(sexp)) {
                    unjelly(f.jelly, part, data.length);
                }
            }
        }
    }

    /**
     * An input is what a Twisted client sends after choosing the {@code pb} dialect, in two
     * reads split at its first byte's value (like a network does).
     */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/banana.dict")
    @FuzzTest(maxDuration = "60s")
    void brokerAfterDialect(byte[] data) {
        try (TwistedFuzzing f = TwistedFuzzing.server()) {
            int split = data.length == 0 ? 0 : Math.min(data.length, 1 + (data[0] & 0xff));
            f.write(data, 0, split);
            f.write(data, split, data.length);
            f.checkReplies();
        }
    }

    private static List<Object> parts(Object sexp) {
        if (sexp instanceof List<?> list && !list.isEmpty()) {
            Object head = list.get(0);
            String command = head instanceof String s ? s : "";
            if (command.equals("message") && list.size() == 7) {
                return List.of(list.get(5), list.get(6));
            }
            if ((command.equals("answer") || command.equals("error")) && list.size() == 3) {
                return List.of(list.get(2));
            }
        }
        List<Object> whole = new ArrayList<>();
        whole.add(sexp);
        return whole;
    }

    /** Unjellies one expression, checking the invariants; returns null if refused. */
    static Object unjelly(Jelly jelly, Object sexp, int inputBytes) {
        Object value;
        try {
            value = jelly.unjelly(sexp);
        } catch (PbException e) {
            FuzzChecks.checkNoBug(e);
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("Jelly failed with " + e + " instead of a PbException", e);
        }
        long weight = TwistedFuzzing.weigh(value);
        assertThat(weight).as("objects and slots unjellied from %s bytes", inputBytes)
                .isLessThanOrEqualTo(2L * inputBytes + 16);
        return value;
    }
}
