package dev.jpb.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.NotLoggedInException;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.TlsHandshakeException;
import dev.jpb.cache.CachedMap;
import dev.jpb.client.PbClient;
import dev.jpb.examples.lab.data.LabUsers;
import dev.jpb.examples.lab.data.Role;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lab server end to end: real sockets, an H2 file, jpb clients and an HTTP client. */
@Timeout(60)
class LabServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "olga";
    private static final String VIEWER = "vera";
    private static final char[] PASSWORD = "lab-test-secret".toCharArray();

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private LabServer start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data",
                dataDir.toString()));
        args.addAll(List.of(extra));
        LabServer lab = LabServer.start(LabOptions.parse(args.toArray(new String[0]), Map.of()));
        open.add(lab);
        return lab;
    }

    /** An operator's perspective. */
    private RemoteReference client(LabServer lab) throws Exception {
        return client(lab, OPERATOR);
    }

    /** A perspective of {@code user}: {@link #OPERATOR} or {@link #VIEWER}. */
    private RemoteReference client(LabServer lab, String user) throws Exception {
        LabUsers users = lab.store().users();
        if (users.role(OPERATOR).isEmpty()) {
            users.add(OPERATOR, PASSWORD, Role.OPERATOR);
            users.add(VIEWER, PASSWORD, Role.VIEWER);
        }
        return connect(lab).login(user, PASSWORD, null).get(10, TimeUnit.SECONDS);
    }

    private PbClient connect(LabServer lab) {
        PbClient client = PbClient.builder()
                .register(LabServer.WIRE_TYPES.toArray(new Class<?>[0]))
                .pinServer(lab.fingerprint())
                .connect("127.0.0.1", lab.port());
        open.add(client);
        return client;
    }

    @Test
    void anAnonymousConnectionReadsAndEditsNothing() throws Exception {
        LabServer lab = start();
        PbClient anonymous = connect(lab);
        RemoteReference root = anonymous.getRootObject().get(5, TimeUnit.SECONDS);

        for (String method : List.of("people", "teams", "badges", "peopleRows", "procedure")) {
            assertThatThrownBy(() -> call(root, method))
                    .isInstanceOf(NoSuchRemoteMethodException.class);
        }
        assertThatThrownBy(() -> call(root, "person", 1L))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> call(root, "createPerson", PersonView.of("Eve", 20)))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> call(root, "deletePerson", 1L))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> call(root, "advance"))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        // a thin client without --user is told how to log in
        assertThatThrownBy(() -> call(root, "attach", (Object) null))
                .isInstanceOf(NotLoggedInException.class).hasMessageContaining("--user");
        // and there is no anonymous login
        assertThatThrownBy(() -> anonymous.loginAnonymously(null).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(PbException.class);
        assertThat(lab.store().personCount()).isEqualTo(4);
        // the refusals left the connection up: a login on it works
        RemoteReference olga = client(lab);
        List<PersonView> people = call(olga, "people");
        assertThat(people).hasSize(4);
        assertThat(anonymous.connection().isOpen()).isTrue();
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() throws Exception {
        LabServer lab = start();
        RemoteReference vera = client(lab, VIEWER);
        List<PersonView> people = call(vera, "people");
        assertThat(people).hasSize(4);
        assertThat((List<?>) call(vera, "teams")).hasSize(2);
        long ada = people.get(0).id();

        List<ThrowingCallable> edits = List.of(
                () -> call(vera, "createPerson", PersonView.of("Eve", 20)),
                () -> call(vera, "updatePerson", people.get(0).withAge(99)),
                () -> call(vera, "deletePerson", ada),
                () -> call(vera, "createTeam", "cryogenics"),
                () -> call(vera, "issueBadge", people.get(2).id(), "B-9"),
                () -> call(vera, "revokeBadge", ada),
                () -> call(vera, "advance"));
        for (ThrowingCallable edit : edits) {
            assertThatThrownBy(edit).isInstanceOf(NotAnOperatorError.class)
                    .hasMessageContaining("vera is a viewer");
        }
        assertThat(lab.store().people()).isEqualTo(people);
        assertThat(lab.lab().procedure().current()).isZero();
    }

    @SuppressWarnings("unchecked")
    private static <T> T call(RemoteReference ref, String method, Object... args)
            throws Exception {
        try {
            return (T) ref.callRemote(method, args).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void twoClientsSeeEachOthersEdits() throws Exception {
        LabServer lab = start("--no-seed");
        RemoteReference alice = client(lab);
        RemoteReference bob = client(lab);

        PersonView dana = call(alice, "createPerson", PersonView.of("Dana", 32,
                AddressView.of("dana@lab.example", true)));
        List<PersonView> bobSees = call(bob, "people");
        assertThat(bobSees).containsExactly(dana);
        // a viewer's live table follows the edits as they are made
        CachedMap<Long, List<Object>> veraSees = call(client(lab, VIEWER), "peopleRows");
        assertThat(veraSees.snapshot()).containsOnlyKeys(dana.id());

        TeamView team = call(bob, "createTeam", "optics");
        call(bob, "joinTeam", dana.id(), team.id());
        PersonView edited = call(bob, "issueBadge", dana.id(), "B-7");
        edited = call(bob, "updatePerson", edited.withAge(33));

        PersonView aliceSees = call(alice, "person", dana.id());
        assertThat(aliceSees).isEqualTo(edited);
        assertThat(aliceSees.teams()).containsExactly("optics");
        assertThat(aliceSees.badge()).isEqualTo("B-7");
        List<TeamView> teams = call(alice, "teams");
        assertThat(teams).singleElement()
                .satisfies(t -> assertThat(t.memberIds()).containsExactly(dana.id()));
        List<BadgeView> badges = call(alice, "badges");
        assertThat(badges).singleElement()
                .satisfies(b -> assertThat(b.holderId()).isEqualTo(dana.id()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                veraSees.get(dana.id())).containsExactly(dana.id(), "Dana", 33,
                "dana@lab.example", "optics", "B-7"));

        assertThat((Boolean) call(alice, "deletePerson", dana.id())).isTrue();
        List<PersonView> empty = call(bob, "people");
        assertThat(empty).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> veraSees.size() == 0);
    }

    @Test
    void aDuplicateEmailCrossesTheWireAsFieldErrorAndNothingIsWritten() throws Exception {
        LabServer lab = start("--no-seed");
        RemoteReference alice = client(lab);
        call(alice, "createPerson", PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true)));

        assertThatThrownBy(() -> call(alice, "createPerson", PersonView.of("Eve", 20,
                AddressView.of("ADA@lab.example", true))))
                .isInstanceOfSatisfying(FieldError.class, e -> {
                    assertThat(e.field()).isEqualTo("email");
                    assertThat(e).hasMessageContaining("already used by another person");
                });
        assertThatThrownBy(() -> call(alice, "person", 999L))
                .isInstanceOfSatisfying(FieldError.class,
                        e -> assertThat(e.field()).isEqualTo("id"));

        List<PersonView> people = call(client(lab), "people");
        assertThat(people).extracting(PersonView::name).containsExactly("Ada");
        assertThat(lab.pbServer().connections()).hasSize(2);
    }

    @Test
    void theDataIsThereAfterARestartOnTheSameFolder() throws Exception {
        LabServer first = start();
        List<PersonView> seeded = call(client(first), "people");
        assertThat(seeded).hasSize(4);
        PersonView dana = call(client(first), "createPerson", PersonView.of("Dana", 32));
        first.close();
        open.clear();

        LabServer second = start();
        List<PersonView> again = call(client(second), "people");

        assertThat(again).hasSize(5).contains(dana).containsAll(seeded);
    }

    @Test
    void theTlsIdentityIsMadeOnFirstStartAndKeptAcrossRestarts() throws Exception {
        LabServer first = start();
        String pin = first.fingerprint();
        assertThat(pin).matches("sha256:[0-9a-f]{64}");
        assertThat(Files.readString(dataDir.resolve(LabServer.FINGERPRINT_FILE)).strip())
                .isEqualTo(pin);
        assertThat(dataDir.resolve(LabServer.CERTIFICATE_FILE)).exists();
        assertThat(dataDir.resolve(LabServer.KEY_FILE)).exists();
        // a client without the pin does not get in: the port speaks TLS only
        assertThatThrownBy(() -> PbClient.builder().connect("127.0.0.1", first.port()))
                .isInstanceOf(TlsHandshakeException.class).hasMessageContaining("speaks TLS");
        first.close();
        open.clear();

        LabServer second = start();
        assertThat(second.fingerprint()).isEqualTo(pin);
        List<PersonView> people = call(client(second), "people");
        assertThat(people).hasSize(4);
    }

    @Test
    void getApiPeopleAnswersTheSamePeopleAsJson() throws Exception {
        LabServer lab = start("--http-port", "0");
        assertThat(lab.httpPort()).isPositive();
        List<PersonView> people = call(client(lab), "people");

        HttpResponse<String> all = get(lab, "/api/people");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("content-type")).hasValue(
                "application/json; charset=utf-8");
        JsonNode array = JSON.readTree(all.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(people.size());
        for (int i = 0; i < people.size(); i++) {
            PersonView p = people.get(i);
            JsonNode n = array.get(i);
            assertThat(n.get("id").asLong()).isEqualTo(p.id());
            assertThat(n.get("name").asText()).isEqualTo(p.name());
            assertThat(n.get("age").asInt()).isEqualTo(p.age());
            assertThat(n.get("addresses")).hasSize(p.addresses().size());
            assertThat(n.get("addresses").get(0).get("email").asText())
                    .isEqualTo(p.addresses().get(0).email());
        }
        assertThat(JSON.readTree(all.body()).get(0).get("badge").asText()).isEqualTo("B-0001");

        HttpResponse<String> one = get(lab, "/api/people/" + people.get(1).id());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).get("name").asText())
                .isEqualTo(people.get(1).name());
    }

    @Test
    void theJsonViewFollowsEditsMadeThroughJpb() throws Exception {
        LabServer lab = start("--http-port", "0", "--no-seed");
        assertThat(JSON.readTree(get(lab, "/api/people").body())).isEmpty();

        call(client(lab), "createPerson", PersonView.of("Dana", 32,
                AddressView.of("dana@lab.example", true)));

        JsonNode after = JSON.readTree(get(lab, "/api/people").body());
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("name").asText()).isEqualTo("Dana");
        assertThat(after.get(0).get("addresses").get(0).get("primary").asBoolean()).isTrue();
    }

    @Test
    void theJsonViewIsReadOnlyAndSaysWhatExists() throws Exception {
        LabServer lab = start("--http-port", "0", "--no-seed");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(lab, "/api/people"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Eve\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
        assertThat(JSON.readTree(post.body()).get("error").asText()).contains("read-only");

        HttpResponse<String> missing = get(lab, "/api/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("error").asText())
                .contains("try GET /api/people");
        assertThat(get(lab, "/api/people/12345").statusCode()).isEqualTo(404);
        assertThat(get(lab, "/api/people/abc").statusCode()).isEqualTo(404);

        // the refusals wrote nothing and the server still answers
        assertThat(get(lab, "/api/people").body()).isEqualTo("[]");
        assertThat(lab.store().personCount()).isZero();
    }

    @Test
    void aTakenHttpPortFailsTheStartAndLeavesNothingOpen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            assertThatThrownBy(() -> start("--http-port", port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pick another --http-port");
        }
        // the H2 file was closed again: another server opens it at once
        LabServer lab = start();
        assertThat(lab.store().personCount()).isEqualTo(4);
    }

    @Test
    void httpIsOffUnlessAsked() throws Exception {
        LabServer lab = start("--no-seed");
        assertThat(lab.httpPort()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> lab.pbServer().port() > 0);
    }

    private HttpResponse<String> get(LabServer lab, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(lab, path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(LabServer lab, String path) {
        return URI.create("http://127.0.0.1:" + lab.httpPort() + path);
    }
}
