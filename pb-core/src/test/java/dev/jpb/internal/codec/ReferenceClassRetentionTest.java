package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Referenceable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReferenceClassRetentionTest {
    /** Defined afresh in a throwaway loader for each send, like a thin client's bundles. */
    public static final class Pushed extends Referenceable {
        public Pushed() {
        }
    }

    /** Defines {@link Pushed} itself (child first), everything else from the test's loader. */
    private static final class OneClassLoader extends ClassLoader {
        private final byte[] bytes;

        OneClassLoader(byte[] bytes) {
            super(ReferenceClassRetentionTest.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Pushed.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : defineClass(name, bytes, 0, bytes.length);
            }
        }
    }

    @Test
    void classesSentByReferenceAreNotKeptByTheThreadsCodec() throws Exception {
        byte[] bytes;
        try (InputStream in = Pushed.class.getResourceAsStream(
                "ReferenceClassRetentionTest$Pushed.class")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ValueCodecTest.End sender = new ValueCodecTest.End();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ClassLoader loader = new OneClassLoader(bytes);
            Object pushed = loader.loadClass(Pushed.class.getName())
                    .getDeclaredConstructor().newInstance();
            assertThat(pushed.getClass()).isNotSameAs(Pushed.class);
            assertThat(sender.write(pushed)).isNotEmpty();
            sender.hooks.ids.clear(); // the peer released it
            sender.hooks.objects.clear();
            loaders.add(new WeakReference<>(loader));
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return loaders.stream().allMatch(r -> r.get() == null);
        });
        assertThat(sender.write("the codec (and its per-thread Kryo) is still in use"))
                .isNotEmpty();
    }
}
