package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Limits;
import dev.jpb.Referenceable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a shared encoding of one update relies on: a recording says which named types (with
 * their ids) an encoding wrote, or that it named a reference; another connection's table
 * accepts those bytes only if it gives every one of the types the same id.
 */
@Timeout(10)
class SharedEncodingTest {
    private final ValueCodec codec = new ValueCodec(TypeRegistry.of(List.of()), 64);

    private CodecSession session() {
        return new CodecSession(new TypeTable(100), new FakeReferenceHooks(), Limits.defaults());
    }

    private static TypeUse record(ValueCodec codec, CodecSession s, Object... values) {
        TypeUse use;
        s.startRecording();
        try {
            codec.write(new Output(256, -1), values, s);
        } finally {
            use = s.stopRecording();
        }
        return use;
    }

    @Test
    void aTableThatNumbersTheTypesAlikeAcceptsTheEncodingAndOneThatDoesNotRefusesIt() {
        CodecSession first = session();
        TypeUse use = record(codec, first, 1L, "text", 2);

        CodecSession same = session();
        codec.write(new Output(256, -1), new Object[] {3L, "other", 4}, same);
        same.types().clearPendingDefinitions();
        assertThat(same.types().hasOutboundIds(use)).isTrue();

        CodecSession swapped = session();
        codec.write(new Output(256, -1), new Object[] {"other", 3L, 4}, swapped);
        swapped.types().clearPendingDefinitions();
        assertThat(swapped.types().hasOutboundIds(use)).isFalse();

        CodecSession fresh = session(); // has never named these types
        assertThat(fresh.types().hasOutboundIds(use)).isFalse();
    }

    @Test
    void anEncodingThatNamesAReferenceIsNotShared() {
        CodecSession s = session();
        assertThat(record(codec, s, new Referenceable() { }, 1L)).isNull();
        // the recording ended: the next one starts clean
        assertThat(record(codec, s, 2L)).isNotNull();
    }
}
