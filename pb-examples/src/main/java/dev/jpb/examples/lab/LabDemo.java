package dev.jpb.examples.lab;

import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.RemoteReference;
import dev.jpb.cache.CachedMap;
import dev.jpb.client.PbClient;
import dev.jpb.examples.lab.data.Role;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code LabServer --demo}: the lab server on a free port with a temporary data folder and the
 * demo data set, two simulated jpb clients (alice, an operator, and bob, a viewer) that log in;
 * an anonymous connection that reads nothing; alice's edits reaching bob's live table at once,
 * a refused duplicate email and a refused viewer's edit; the procedure driven by alice through
 * its four steps, each followed by both, the steps that need every station waiting for bob's
 * acknowledgement; the JSON view read over HTTP; then the server is restarted on the same
 * folder to show the data is still there. Prints what happens and checks every step.
 */
public final class LabDemo {
    private static final Duration WAIT = Duration.ofSeconds(10);
    // the demo's users live only in its temporary folder
    private static final String PASSWORD = "demo-" + Long.toHexString(System.nanoTime());

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
                PbClient anonymous = connect(lab);
                PbClient alice = connect(lab);
                PbClient bob = connect(lab)) {
            out.println("server: listening on port " + lab.port() + " (TLS), JSON on port "
                    + lab.httpPort() + ", " + lab.store().personCount()
                    + " people in the demo data set");
            lab.store().users().add("alice", PASSWORD.toCharArray(), Role.OPERATOR);
            lab.store().users().add("bob", PASSWORD.toCharArray(), Role.VIEWER);
            try {
                call(root(anonymous), "people");
                check(false, "an anonymous connection reads nothing");
            } catch (NoSuchRemoteMethodException e) {
                out.println("anonymous: people() refused: " + e.getClass().getSimpleName());
                check(true, "an anonymous connection reads nothing");
            }
            RemoteReference a = login(alice, "alice");
            RemoteReference b = login(bob, "bob");
            CachedMap<Long, List<Object>> bobsTable = call(b, "peopleRows");
            List<PersonView> seen = call(a, "people");
            out.println("alice: people() -> " + names(seen));
            check(seen.size() == 4 && bobsTable.size() == 4,
                    "alice and bob's live table see the 4 people of the demo data set");
            adaId = seen.get(0).id();

            PersonView dana = call(a, "createPerson", PersonView.of("Dana Scully", 32,
                    AddressView.of("dana@lab.example", true)));
            out.println("alice: createPerson(Dana Scully) -> id " + dana.id());
            List<Object> row = until(bobsTable, m -> m.get(dana.id())).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            out.println("bob's table, pushed: " + row);
            check(row.get(1).equals("Dana Scully"), "bob's table shows alice's new person");

            PersonView edited = dana.withAge(33).withAddresses(List.of(dana.addresses().get(0),
                    AddressView.of("dana@home.example", false)));
            edited = call(a, "updatePerson", edited);
            List<TeamView> teams = call(a, "teams");
            edited = call(a, "joinTeam", edited.id(), teams.get(0).id());
            edited = call(a, "issueBadge", edited.id(), "B-0003");
            out.println("alice: updatePerson(age 33, second address), joinTeam("
                    + teams.get(0).name() + "), issueBadge(B-0003)");
            List<Object> bobsRow = until(bobsTable, m -> {
                List<Object> r = m.get(dana.id());
                return "B-0003".equals(r.get(5)) ? r : null;
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            out.println("bob's table, pushed: " + bobsRow);
            PersonView bobSees = call(b, "person", dana.id());
            check(bobSees.equals(edited) && bobsRow.get(2).equals(33),
                    "bob sees alice's edit exactly as alice stored it");
            try {
                call(b, "updatePerson", edited.withAge(99));
                check(false, "a viewer's edit is refused");
            } catch (NotAnOperatorError e) {
                out.println("bob: updatePerson refused: " + e.getMessage());
                check(call(a, "person", dana.id()).equals(edited), "nothing of it was written");
            }

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

            procedure(a, b);

            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + lab.httpPort() + "/api/people"))
                            .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            out.println("script: GET /api/people -> " + body.length() + " bytes of JSON");
            check(body.contains("\"name\":\"Dana Scully\"") && body.contains("\"age\":33"),
                    "the JSON view shows alice's edit");
        }
        out.println("server: stopped; starting it again on the same data folder");
        try (LabServer lab = LabServer.start(options); PbClient carol = connect(lab)) {
            List<PersonView> again = call(login(carol, "bob"), "people");
            out.println("bob, again: people() -> " + names(again));
            check(again.size() == 5 && again.get(0).id() == adaId
                    && again.stream().anyMatch(p -> p.name().equals("Dana Scully")
                            && p.age() == 33 && "B-0003".equals(p.badge())),
                    "after the restart the data and the users are all there");
        }
    }

    /** Alice drives the four steps; bob's station follows and acknowledges when asked. */
    private void procedure(RemoteReference a, RemoteReference b) throws Exception {
        CachedMap<String, Object> alicesRun = call(a, "procedure");
        CachedMap<String, Object> bobsRun = call(b, "procedure");
        List<String> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
        bobsRun.addListener(change -> {
            Map<?, ?> s = (Map<?, ?>) change.newValue();
            String step = LabProcedure.STEPS.get((Integer) s.get("current"));
            boolean moved = followed.isEmpty() || !followed.get(followed.size() - 1).equals(step);
            if (!step.equals(LabProcedure.STEPS.get(0)) && moved) {
                followed.add(step);
            }
        });
        for (int next = 1; next < LabProcedure.STEPS.size(); next++) {
            int step = call(a, "advance");
            String label = LabProcedure.STEPS.get(step);
            Map<?, ?> bobs = until(bobsRun, m -> state(m, step)).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            out.println("alice: advance() -> step " + (step + 1) + " (" + label
                    + "); bob's screen: " + bobs.get("about"));
            if (!Boolean.TRUE.equals(bobs.get("needsAck"))) {
                continue;
            }
            call(a, "acknowledge", step);
            Map<?, ?> waiting = until(alicesRun, m -> {
                Map<?, ?> s = state(m, step);
                return s != null && ((List<?>) s.get("missing")).equals(List.of("bob")) ? s
                        : null;
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            out.println("alice acknowledged; alice's screen: missing " + waiting.get("missing"));
            try {
                call(a, "advance");
                check(false, "the step waits for bob");
            } catch (StepNotReadyError e) {
                out.println("alice: advance() refused: " + e.getMessage());
                check(e.missing().equals(List.of("bob")), "the step waits for bob, by name");
            }
            call(b, "acknowledge", step);
            until(alicesRun, m -> {
                Map<?, ?> s = state(m, step);
                return s != null && Boolean.TRUE.equals(s.get("ready")) ? s : null;
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            out.println("bob acknowledged; alice's screen: ready for the next step");
        }
        until(bobsRun, m -> state(m, LabProcedure.STEPS.size() - 1)).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        check(followed.equals(LabProcedure.STEPS.subList(1, LabProcedure.STEPS.size())),
                "bob's station followed every step as it happened: " + followed);
    }

    private static Map<?, ?> state(Map<String, Object> copy, int step) {
        Map<?, ?> s = (Map<?, ?>) copy.get(LabProcedure.KEY);
        return s != null && ((Integer) s.get("current")) == step ? s : null;
    }

    /** Completes with the first non-null answer of {@code test} on the copy, now or later. */
    private static <K, V, R> CompletableFuture<R> until(CachedMap<K, V> copy,
            Function<Map<K, V>, R> test) {
        CompletableFuture<R> found = new CompletableFuture<>();
        CachedMap.Listener<K, V> listener = change -> {
            R r = test.apply(copy.snapshot());
            if (r != null) {
                found.complete(r);
            }
        };
        copy.addListener(listener);
        R now = test.apply(copy.snapshot());
        if (now != null) {
            found.complete(now);
        }
        return found.whenComplete((r, t) -> copy.removeListener(listener));
    }

    private static RemoteReference login(PbClient client, String user) throws Exception {
        return client.login(user, PASSWORD.toCharArray(), null).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
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
