package dev.jpb.internal.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpus of {@link ValueCodecFuzzTest}: values encoded by jpb's own encoder
 * ({@code valid-*}, each of which must decode) and hostile variations of them
 * ({@code hostile-*}, each of which must be refused with a typed error). Run from the module
 * root: {@code java -cp <test classpath> dev.jpb.internal.codec.ValueSeeds src/test/resources}.
 */
final class ValueSeeds {
    static final String DIR =
            "dev/jpb/internal/codec/ValueCodecFuzzTestInputs/decodeArbitraryValues";

    private ValueSeeds() {
    }

    /** Returns the seeds by file name, in a fixed order. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        ValueCodecFuzzTest.sampleValues().forEach(
                (name, values) -> seeds.put("valid-" + name,
                        ValueCodecFuzzTest.SENDER.write(values)));
        byte[] shape = seeds.get("valid-shape");
        seeds.put("hostile-truncated", Arrays.copyOf(shape, shape.length / 2));
        // one list declaring 2^31 - 1 elements
        seeds.put("hostile-huge-length", bytes(1, PbClassResolver.LIST, 1,
                0xff, 0xff, 0xff, 0xff, 0x07));
        // a list in a list ... 200 deep, past maxDepth
        List<Integer> deep = new ArrayList<>(List.of(1));
        for (int i = 0; i < 200; i++) {
            deep.addAll(List.of(PbClassResolver.LIST, 1, 1));
        }
        deep.add(PbClassResolver.NULL);
        seeds.put("hostile-deep", bytes(deep.stream().mapToInt(Integer::intValue).toArray()));
        // a set of one list of shared lists, 40 levels: 2^40 hash steps
        List<Object> below = new ArrayList<>();
        for (int i = 1; i < 40; i++) {
            below = new ArrayList<>(List.of(below, below));
        }
        byte[] shared = ValueCodecFuzzTest.SENDER.write(List.of(below));
        shared[1] = PbClassResolver.SET;
        seeds.put("hostile-shared-set", shared);
        seeds.put("hostile-unknown-type", bytes(1, 99));
        seeds.put("hostile-yours-unknown", bytes(1, PbClassResolver.YOURS, 42));
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff);
        seeds.put("hostile-all-ones", ones);
        return seeds;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Writes the seeds under the resource root {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]).resolve(DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
