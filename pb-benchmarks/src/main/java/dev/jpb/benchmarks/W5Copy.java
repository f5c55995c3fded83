package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * W5 in isolation: one encode and one decode of the {@link Graph} per operation, by jpb's
 * codec, by plain Kryo (the baseline), by Kryo with reference tracking (which jpb has on, for
 * shared and cyclic graphs) and by {@code java.io} serialization. Bytes per copy do not vary
 * between runs: setup prints them, and the report computes them the same way
 * ({@link #sizes()}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class W5Copy {
    private final Graph.Person person = Graph.person();
    private final Copiers.Jpb jpb = new Copiers.Jpb();
    private final Copiers.RawKryo kryo = new Copiers.RawKryo(false);
    private final Copiers.RawKryo kryoReferences = new Copiers.RawKryo(true);
    private final Copiers.JavaIo javaIo = new Copiers.JavaIo();

    /** Checks that every copier gives back an equal graph; prints the bytes per copy. */
    @Setup(Level.Trial)
    public void check() {
        for (Copiers.Copier copier : new Copiers.Copier[] {jpb, kryo, kryoReferences, javaIo}) {
            copier.encode(person); // jpb: the first copy also hands over the type names
            Object copy = copier.decode();
            if (!person.equals(copy)) {
                throw new IllegalStateException(copier.getClass().getSimpleName()
                        + " copied " + person + " as " + copy);
            }
        }
        int[] sizes = sizes();
        System.out.printf("%nW5 bytes per copy: jpb %d, kryo %d, kryo with references %d,"
                + " java.io %d%n", sizes[0], sizes[1], sizes[2], sizes[3]);
    }

    /** java.io serialization. */
    @Benchmark
    public Object javaSerialization() {
        javaIo.encode(person);
        return javaIo.decode();
    }

    /** jpb's codec. */
    @Benchmark
    public Object jpb() {
        jpb.encode(person);
        return jpb.decode();
    }

    /** Plain Kryo, classes registered. */
    @Benchmark
    public Object kryo() {
        kryo.encode(person);
        return kryo.decode();
    }

    /** Plain Kryo with reference tracking on, as jpb has it (cycles and shared objects). */
    @Benchmark
    public Object kryoWithReferences() {
        kryoReferences.encode(person);
        return kryoReferences.decode();
    }

    /**
     * Returns the bytes one copy of the graph takes: jpb (once its type names have crossed),
     * plain Kryo, Kryo with references and java.io, in that order.
     */
    static int[] sizes() {
        Graph.Person person = Graph.person();
        Copiers.Jpb jpb = new Copiers.Jpb();
        jpb.encode(person);
        return new int[] {
            jpb.encode(person), new Copiers.RawKryo(false).encode(person),
            new Copiers.RawKryo(true).encode(person), new Copiers.JavaIo().encode(person)};
    }
}
