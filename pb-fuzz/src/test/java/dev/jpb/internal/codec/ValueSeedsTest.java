package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The committed corpus of {@link ValueCodecFuzzTest} is the one {@link ValueSeeds} writes, and
 * it means what its names say: every valid seed decodes, every hostile one is refused.
 */
@Timeout(30)
class ValueSeedsTest {
    static Map<String, byte[]> committed(String dir) throws IOException, URISyntaxException {
        Path path = Path.of(ValueSeedsTest.class.getResource("/" + dir).toURI());
        Map<String, byte[]> seeds = new TreeMap<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.toList()) {
                seeds.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    @Test
    void theCommittedSeedsAreTheGeneratedOnes() throws Exception {
        assertThat(committed(ValueSeeds.DIR).keySet())
                .filteredOn(name -> !name.startsWith("finding-"))
                .containsExactlyInAnyOrderElementsOf(ValueSeeds.seeds().keySet());
    }

    @Test
    void validSeedsDecodeAndHostileOnesAreRefused() throws Exception {
        Map<String, byte[]> seeds = committed(ValueSeeds.DIR);
        assertThat(seeds).hasSizeGreaterThan(10);
        seeds.forEach((name, bytes) -> {
            Object[] values = ValueCodecFuzzTest.decode(bytes);
            if (name.startsWith("valid-")) {
                assertThat(values).as(name).isNotNull().isNotEmpty();
            } else {
                assertThat(values).as(name).isNull();
            }
        });
    }
}
