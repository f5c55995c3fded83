package dev.jpb.benchmarks;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.examples.lab.AddressView;
import dev.jpb.examples.lab.LabOptions;
import dev.jpb.examples.lab.LabServer;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.codec.ValueCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lab's people table reaching a jpb client (issue 17's performance target: 10,000 rows in
 * under a second): a lab server on an H2 file with {@link #rows} people, one address each, and
 * a client calling {@code people()}. {@link #people} is a connected client's read;
 * {@link #firstTable} is a new client connecting, logging in (the lab's data is on the
 * logged-in user's perspective only) and reading the table. Setup prints the bytes the table
 * takes as one jpb value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class W8LabPeople {
    /** How many people the table has. */
    @Param("10000")
    public int rows;

    private Path dataDir;
    private LabServer lab;
    private PbClient client;
    private RemoteReference root;

    /** Starts the server on a fresh database of {@link #rows} people and connects a client. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        dataDir = Files.createTempDirectory("w8-lab");
        lab = LabServer.start(LabOptions.parse(new String[] {"--port", "0", "--no-seed",
                "--data", dataDir.toString()}, Map.of()));
        lab.store().importPeople(people(rows));
        lab.store().users().ensureAdmin(USER, PASSWORD.toCharArray());
        client = connect(lab);
        root = login(client);
        List<PersonView> table = readTable(root);
        if (table.size() != rows) {
            throw new IllegalStateException("people() returned " + table.size() + " rows, not "
                    + rows);
        }
        System.out.printf("%nW8 bytes of the %d-row people table as one jpb value: %d%n", rows,
                tableBytes(table));
    }

    /** A connected client reads the whole table. */
    @Benchmark
    public List<PersonView> people() throws Exception {
        return readTable(root);
    }

    /** A new client connects, logs in and reads the whole table. */
    @Benchmark
    public List<PersonView> firstTable() throws Exception {
        try (PbClient fresh = connect(lab)) {
            return readTable(login(fresh));
        }
    }

    /** Closes the client and the server and deletes the database. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        client.close();
        lab.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static final String USER = "w8";
    private static final String PASSWORD = "w8-password";

    /** Logs in as the benchmark's operator: the lab serves its data only to users. */
    static RemoteReference login(PbClient client) throws Exception {
        return client.login(USER, PASSWORD.toCharArray(), null).get(10, TimeUnit.SECONDS);
    }

    static List<PersonView> people(int rows) {
        List<PersonView> people = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            people.add(PersonView.of("Person " + i, 20 + i % 60,
                    AddressView.of("person" + i + "@lab.example", true)));
        }
        return people;
    }

    static PbClient connect(LabServer lab) {
        return PbClient.builder().register(LabServer.WIRE_TYPES.toArray(new Class<?>[0]))
                .pinServer(lab.fingerprint()).connect("127.0.0.1", lab.port());
    }

    static List<PersonView> readTable(RemoteReference root) throws Exception {
        return root.<List<PersonView>>callRemote("people").get(30, TimeUnit.SECONDS);
    }

    /** Returns the bytes {@code table} takes as one value in a jpb frame (type names apart). */
    static int tableBytes(List<PersonView> table) {
        ValueCodec codec = new ValueCodec(TypeRegistry.of(LabServer.WIRE_TYPES), 64);
        CodecSession sender = new CodecSession(new TypeTable(1024), Copiers.NO_REFERENCES);
        Output output = new Output(1 << 16, -1);
        codec.write(output, new Object[] {table}, sender);
        return output.position();
    }
}
