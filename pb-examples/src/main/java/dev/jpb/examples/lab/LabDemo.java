package dev.jpb.examples.lab;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code LabServer --demo}: the lab server on a free port with a temporary data folder and the
 * demo data set, two simulated jpb clients (alice and bob) that edit people and see each
 * other's edits, a refused duplicate email, and the JSON view read over HTTP; then the server
 * is restarted on the same folder to show the data is still there. Prints what happens and
 * checks every step.
 */
// PROCEDURE (issue 17 point 4): the run-control steps (prepare, calibrate, acquire, review)
// join this narrative once Cacheable and login are wired.
public final class LabDemo {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    private LabDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo, printing to {@code out}.
     *
     * @return 0 if every step went as expected, 1 otherwise (the failures are printed)
     */
    public static int run(PrintStream out) {
        LabDemo demo = new LabDemo(out);
        Path dir;
        try {
            dir = Files.createTempDirectory("lab-demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            demo.story(dir);
        } catch (Exception e) {
            demo.failures.add("the demo stopped: " + e);
        } finally {
            deleteTree(dir);
        }
        for (String f : demo.failures) {
            out.println("FAILED: " + f);
        }
        out.println(demo.failures.isEmpty() ? "== done: every step went as expected"
                : "== done: " + demo.failures.size() + " step(s) failed");
        return demo.failures.isEmpty() ? 0 : 1;
    }

    private void story(Path dir) throws Exception {
        out.println("== jpb lab demo: data in a temporary folder");
        LabOptions options = LabOptions.parse(new String[] {"--port", "0", "--http-port", "0",
                "--data", dir.toString()}, java.util.Map.of());
        long adaId;
        try (LabServer lab = LabServer.start(options);
                PbClient alice = connect(lab);
                PbClient bob = connect(lab)) {
            out.println("server: listening on port " + lab.port() + " (TLS), JSON on port "
                    + lab.httpPort() + ", " + lab.store().personCount()
                    + " people in the demo data set");
            RemoteReference a = root(alice);
            RemoteReference b = root(bob);
            List<PersonView> seen = call(a, "people");
            out.println("alice: people() -> " + names(seen));
            check(seen.size() == 4, "alice sees the 4 people of the demo data set");
            adaId = seen.get(0).id();

            PersonView dana = call(a, "createPerson", PersonView.of("Dana Scully", 32,
                    AddressView.of("dana@lab.example", true)));
            out.println("alice: createPerson(Dana Scully) -> id " + dana.id());
            List<PersonView> bobSees = call(b, "people");
            out.println("bob: people() -> " + names(bobSees));
            check(bobSees.stream().anyMatch(p -> p.name().equals("Dana Scully")),
                    "bob sees the person alice created");

            PersonView edited = dana.withAge(33).withAddresses(List.of(dana.addresses().get(0),
                    AddressView.of("dana@home.example", false)));
            edited = call(b, "updatePerson", edited);
            List<TeamView> teams = call(b, "teams");
            edited = call(b, "joinTeam", edited.id(), teams.get(0).id());
            edited = call(b, "issueBadge", edited.id(), "B-0003");
            out.println("bob: updatePerson(age 33, second address), joinTeam("
                    + teams.get(0).name() + "), issueBadge(B-0003)");
            PersonView aliceSees = call(a, "person", dana.id());
            out.println("alice: person(" + dana.id() + ") -> age " + aliceSees.age() + ", "
                    + aliceSees.addresses().size() + " addresses, teams " + aliceSees.teams()
                    + ", badge " + aliceSees.badge());
            check(aliceSees.equals(edited), "alice sees bob's edit exactly as bob stored it");

            try {
                call(a, "createPerson", PersonView.of("Fox Mulder", 34,
                        AddressView.of("DANA@lab.example", true)));
                check(false, "a duplicate email is refused");
            } catch (FieldError e) {
                out.println("alice: createPerson(Fox Mulder, DANA@lab.example) refused:"
                        + " FieldError on \"" + e.field() + "\": " + e.getMessage());
                check(e.field().equals("email"), "the refusal names the email field");
            }
            List<PersonView> after = call(b, "people");
            check(after.size() == 5 && after.stream().noneMatch(
                    p -> p.name().equals("Fox Mulder")), "nothing of the refused edit was written");
            out.println("bob: people() -> still " + after.size() + " people, no Fox Mulder");

            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + lab.httpPort() + "/api/people"))
                            .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            out.println("script: GET /api/people -> " + body.length() + " bytes of JSON");
            check(body.contains("\"name\":\"Dana Scully\"") && body.contains("\"age\":33"),
                    "the JSON view shows bob's edit");
        }
        out.println("server: stopped; starting it again on the same data folder");
        try (LabServer lab = LabServer.start(options); PbClient carol = connect(lab)) {
            List<PersonView> again = call(root(carol), "people");
            out.println("carol: people() -> " + names(again));
            check(again.size() == 5 && again.get(0).id() == adaId
                    && again.stream().anyMatch(p -> p.name().equals("Dana Scully")
                            && p.age() == 33 && "B-0003".equals(p.badge())),
                    "after the restart the data is all there");
        }
    }

    /** A jpb client that pins the server's TLS identity, as every lab client does. */
    private static PbClient connect(LabServer lab) {
        return PbClient.builder().register(LabServer.WIRE_TYPES.toArray(new Class<?>[0]))
                .pinServer(lab.fingerprint()).connect("127.0.0.1", lab.port());
    }

    private static RemoteReference root(PbClient client) throws Exception {
        return client.getRootObject().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Calls and waits, unwrapping a remote {@link FieldError} so it can be caught. */
    private static <T> T call(RemoteReference ref, String method, Object... args)
            throws InterruptedException, TimeoutException {
        try {
            return ref.<T>callRemote(method, args).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CompletionException(e.getCause());
        }
    }

    private void check(boolean ok, String what) {
        if (ok) {
            out.println("  ok: " + what);
        } else {
            failures.add(what);
        }
    }

    private static List<String> names(List<PersonView> people) {
        return people.stream().map(PersonView::name).toList();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
