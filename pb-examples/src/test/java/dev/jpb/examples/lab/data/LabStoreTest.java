package dev.jpb.examples.lab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpb.examples.lab.AddressView;
import dev.jpb.examples.lab.FieldError;
import dev.jpb.examples.lab.PersonRow;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.examples.lab.TeamView;
import dev.jpb.server.ScramVerifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.proxy.HibernateProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lab's persistence, run once on an H2 file and once on a real PostgreSQL. The PostgreSQL
 * run needs {@code JPB_TEST_PG_URL}, {@code JPB_TEST_PG_USER} and {@code JPB_TEST_PG_PASSWORD}
 * ({@code .ci/run} starts a server and sets them); without them it is skipped on a developer
 * machine and fails under {@code CI=true}.
 */
@Timeout(120) // the first Hibernate boot took 64 s on the loaded 2-vCPU build machine
@ParameterizedClass(name = "{0}")
@EnumSource(LabStoreTest.Db.class)
class LabStoreTest {
    /** The databases the same tests run on. */
    enum Db { H2, POSTGRES }

    static final String HOW_TO_RUN_PG = "PostgreSQL tests need JPB_TEST_PG_URL (e.g."
            + " jdbc:postgresql://127.0.0.1:5432/jpb_lab), JPB_TEST_PG_USER and"
            + " JPB_TEST_PG_PASSWORD for a role owning that database; .ci/run starts one";

    private final Db db;
    @TempDir
    Path dataDir;
    private LabDatabase database;
    private final List<LabStore> stores = new ArrayList<>();

    LabStoreTest(Db db) {
        this.db = db;
    }

    /** Returns the PostgreSQL test database from the environment, or fails or skips. */
    static LabDatabase postgresFromEnv() {
        Map<String, String> env = System.getenv();
        String url = env.get("JPB_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(env.get("CI"))) {
                fail("CI=true but JPB_TEST_PG_URL is not set: " + HOW_TO_RUN_PG);
            }
            assumeTrue(false, HOW_TO_RUN_PG);
        }
        return new LabDatabase(url, env.get("JPB_TEST_PG_USER"), env.get("JPB_TEST_PG_PASSWORD"));
    }

    /** Drops everything in the public schema, so each test starts from an empty database. */
    static void wipe(LabDatabase pg) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists public cascade");
            s.execute("create schema public");
        }
    }

    @BeforeEach
    void openDatabase() throws SQLException {
        if (db == Db.H2) {
            database = LabDatabase.h2(dataDir);
        } else {
            database = postgresFromEnv();
            wipe(database);
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(LabStore::close);
    }

    private LabStore open() {
        LabStore store = LabStore.open(database);
        stores.add(store);
        return store;
    }

    /** Closes {@code store} and opens the same database again, as a server restart does. */
    private LabStore restart(LabStore store) {
        store.close();
        stores.remove(store);
        return open();
    }

    @Test
    void theFirstOpenCreatesTablesAndForeignKeys() throws SQLException {
        open();
        try (Connection c = DriverManager.getConnection(database.url(), database.user(),
                database.password())) {
            DatabaseMetaData meta = c.getMetaData();
            for (String table : List.of("person", "address", "team", "team_member", "badge",
                    "lab_user")) {
                try (ResultSet rs = meta.getTables(null, null, ident(meta, table), null)) {
                    assertThat(rs.next()).as("table " + table).isTrue();
                }
            }
            assertThat(foreignKeys(meta, "address")).containsExactly("person_id->person");
            assertThat(foreignKeys(meta, "team_member"))
                    .containsExactlyInAnyOrder("person_id->person", "team_id->team");
            assertThat(foreignKeys(meta, "person")).containsExactly("badge_id->badge");
        }
    }

    private static String ident(DatabaseMetaData meta, String name) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }

    private static List<String> foreignKeys(DatabaseMetaData meta, String table)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = meta.getImportedKeys(null, null, ident(meta, table))) {
            while (rs.next()) {
                keys.add((rs.getString("FKCOLUMN_NAME") + "->" + rs.getString("PKTABLE_NAME"))
                        .toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    @Test
    void allFourRelationsRoundTripThroughARestart() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true),
                AddressView.of("Ada@Home.example", false)));
        PersonView alan = store.createPerson(PersonView.of("Alan", 41,
                AddressView.of("alan@lab.example", true)));
        TeamView optics = store.createTeam("optics");
        TeamView detectors = store.createTeam("detectors");
        store.joinTeam(ada.id(), optics.id());
        store.joinTeam(ada.id(), detectors.id());
        store.joinTeam(alan.id(), optics.id());
        store.issueBadge(ada.id(), "B-1");

        store = restart(store);

        PersonView again = store.person(ada.id()).orElseThrow();
        assertThat(again.name()).isEqualTo("Ada");
        assertThat(again.age()).isEqualTo(36);
        // one-to-many (and its many-to-one owner, which the query for person() walks)
        assertThat(again.addresses()).extracting(AddressView::email, AddressView::primary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ada@lab.example", true),
                        org.assertj.core.groups.Tuple.tuple("ada@home.example", false));
        // many-to-many, from both sides
        assertThat(again.teams()).containsExactly("detectors", "optics");
        assertThat(store.teams()).extracting(TeamView::name, TeamView::memberIds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("optics",
                                List.of(ada.id(), alan.id())),
                        org.assertj.core.groups.Tuple.tuple("detectors", List.of(ada.id())));
        // one-to-one, from both sides
        assertThat(again.badge()).isEqualTo("B-1");
        assertThat(store.badges()).singleElement()
                .satisfies(b -> assertThat(b.holderId()).isEqualTo(ada.id()));
        assertThat(store.person(alan.id()).orElseThrow().badge()).isNull();
        assertThat(store.people()).extracting(PersonView::name).containsExactly("Ada", "Alan");
    }

    @Test
    void thePeopleTableListsWhatPeopleListsFlattened() {
        LabStore store = open();
        TeamView optics = store.createTeam("optics");
        TeamView cryo = store.createTeam("cryo");
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada.home@lab.example", false),
                AddressView.of("ada@lab.example", true)));
        PersonView alan = store.createPerson(PersonView.of("Alan", 41,
                AddressView.of("alan@lab.example", false)));
        PersonView nobody = store.createPerson(PersonView.of("Nobody", 1));
        store.joinTeam(ada.id(), optics.id());
        store.joinTeam(ada.id(), cryo.id());
        store.issueBadge(alan.id(), "B-7");

        assertThat(store.peopleTable()).containsExactly(
                new PersonRow(ada.id(), "Ada", 36, "ada@lab.example", "cryo, optics", null),
                new PersonRow(alan.id(), "Alan", 41, "alan@lab.example", "", "B-7"),
                new PersonRow(nobody.id(), "Nobody", 1, null, "", null));
    }

    @Test
    void aDuplicateEmailIsAFieldErrorAndNothingIsWritten() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true)));
        PersonView alan = store.createPerson(PersonView.of("Alan", 41,
                AddressView.of("alan@lab.example", true)));
        List<PersonView> before = store.people();

        assertThatThrownBy(() -> store.createPerson(PersonView.of("Grace", 45,
                AddressView.of("grace@lab.example", true),
                AddressView.of(" ADA@lab.example ", false))))
                .isInstanceOfSatisfying(FieldError.class, e -> {
                    assertThat(e.field()).isEqualTo("email");
                    assertThat(e).hasMessageContaining("ada@lab.example is already used");
                });
        assertThatThrownBy(() -> store.updatePerson(alan.withName("Alan T.").withAddresses(
                List.of(AddressView.of("ada@lab.example", false)))))
                .isInstanceOfSatisfying(FieldError.class,
                        e -> assertThat(e.field()).isEqualTo("email"));

        assertThat(store.people()).isEqualTo(before);
        assertThat(store.personCount()).isEqualTo(2);
        assertThat(restart(store).people()).isEqualTo(before);
        assertThat(ada.addresses()).hasSize(1);
    }

    @Test
    void theEmailConstraintRefusesWhatTheCheckMissesAsAFieldError() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true)));
        PersonView alan = store.createPerson(PersonView.of("Alan", 41));

        // What a second writer racing past the check would write: the database refuses it.
        assertThatThrownBy(() -> store.write(s -> {
            Person p = s.find(Person.class, alan.id());
            p.getAddresses().add(new Address("ada@lab.example", false, p));
            p.setAge(99);
            s.flush();
            return null;
        })).isInstanceOfSatisfying(FieldError.class,
                e -> assertThat(e.field()).isEqualTo("email"));

        assertThat(store.person(alan.id()).orElseThrow()).isEqualTo(alan);
        assertThat(store.person(ada.id()).orElseThrow()).isEqualTo(ada);
    }

    @Test
    void aNameLongerThan128CharactersIsAFieldErrorAndNothingIsWritten() {
        LabStore store = open();
        String longest = "n".repeat(PersonView.MAX_NAME_LENGTH);

        assertThatThrownBy(() -> store.createPerson(PersonView.of(longest + "x", 30,
                AddressView.of("long@lab.example", true))))
                .isInstanceOfSatisfying(FieldError.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e).hasMessageContaining("129 characters; at most 128");
                });
        assertThat(store.personCount()).isZero();

        PersonView ok = store.createPerson(PersonView.of(longest, 30,
                AddressView.of("long@lab.example", true)));
        assertThat(store.person(ok.id()).orElseThrow().name()).isEqualTo(longest);
        assertThatThrownBy(() -> store.updatePerson(ok.withName(longest + "x").withAge(31)))
                .isInstanceOfSatisfying(FieldError.class,
                        e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(store.person(ok.id()).orElseThrow()).isEqualTo(ok);
    }

    @Test
    void otherRefusedFieldsAreNamedToo() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36));
        store.createTeam("optics");
        store.issueBadge(ada.id(), "B-1");
        PersonView alan = store.createPerson(PersonView.of("Alan", 41));

        assertThat(fieldOf(() -> store.createPerson(PersonView.of(" ", 3)))).isEqualTo("name");
        assertThat(fieldOf(() -> store.createPerson(PersonView.of("Old", 151)))).isEqualTo("age");
        assertThat(fieldOf(() -> store.createPerson(PersonView.of("X", 3,
                AddressView.of("not-an-email", true))))).isEqualTo("email");
        assertThat(fieldOf(() -> store.createPerson(PersonView.of("X", 3,
                AddressView.of("a@x", true), AddressView.of("b@x", true))))).isEqualTo("primary");
        assertThat(fieldOf(() -> store.createTeam("optics"))).isEqualTo("name");
        assertThat(fieldOf(() -> store.issueBadge(alan.id(), "B-1"))).isEqualTo("code");
        assertThat(fieldOf(() -> store.updatePerson(PersonView.of("Nobody", 3)))).isEqualTo("id");
        assertThat(store.people()).extracting(PersonView::name).containsExactly("Ada", "Alan");
        assertThat(store.teams()).hasSize(1);
        assertThat(store.badges()).hasSize(1);
    }

    private static String fieldOf(Runnable edit) {
        try {
            edit.run();
        } catch (FieldError e) {
            return e.field();
        }
        throw new AssertionError("the edit was not refused");
    }

    @Test
    void viewsArePlainRecordsNotHibernateObjects() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true)));
        store.joinTeam(ada.id(), store.createTeam("optics").id());
        store.issueBadge(ada.id(), "B-1");
        store = restart(store);

        for (PersonView p : List.of(store.person(ada.id()).orElseThrow(),
                store.people().get(0))) {
            assertThat(p.getClass()).isEqualTo(PersonView.class);
            assertThat(p.getClass().isRecord()).isTrue();
            assertThat(p.addresses()).isNotInstanceOf(PersistentCollection.class)
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a.getClass()).isEqualTo(AddressView.class));
            assertThat(p.teams()).isNotInstanceOf(PersistentCollection.class)
                    .containsExactly("optics");
            assertThat(p.badge()).isEqualTo("B-1");
            assertThat((Object) p).isNotInstanceOf(HibernateProxy.class);
            assertThat(p.addresses().getClass().getName()).startsWith("java.util.");
        }
    }

    @Test
    void updatingMatchesAddressesByEmail() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true),
                AddressView.of("old@home.example", false)));
        long kept = ada.addresses().get(0).id();

        PersonView changed = store.updatePerson(ada.withAge(37).withAddresses(List.of(
                AddressView.of("ada@lab.example", false),
                AddressView.of("new@home.example", true))));

        assertThat(changed.age()).isEqualTo(37);
        assertThat(changed.addresses()).extracting(AddressView::email)
                .containsExactly("ada@lab.example", "new@home.example");
        assertThat(changed.addresses().get(0).id()).isEqualTo(kept);
        assertThat(changed.addresses().get(0).primary()).isFalse();
        assertThat(restart(store).person(ada.id()).orElseThrow()).isEqualTo(changed);
    }

    @Test
    void deletingAPersonTakesTheirAddressesBadgeAndMembershipsAlong() {
        LabStore store = open();
        PersonView ada = store.createPerson(PersonView.of("Ada", 36,
                AddressView.of("ada@lab.example", true)));
        TeamView optics = store.createTeam("optics");
        store.joinTeam(ada.id(), optics.id());
        store.issueBadge(ada.id(), "B-1");

        assertThat(store.deletePerson(ada.id())).isTrue();
        assertThat(store.deletePerson(ada.id())).isFalse();

        assertThat(store.people()).isEmpty();
        assertThat(store.badges()).isEmpty();
        assertThat(store.teams()).singleElement()
                .satisfies(t -> assertThat(t.memberIds()).isEmpty());
        // the email is free again
        store.createPerson(PersonView.of("Ada II", 1, AddressView.of("ada@lab.example", true)));
        assertThat(store.deleteTeam(optics.id())).isTrue();
        assertThat(store.teams()).isEmpty();
    }

    @Test
    void usersAreStoredAsScramVerifiersWithARole() throws SQLException {
        LabStore store = open();
        LabUsers users = store.users();
        char[] password = "correct horse".toCharArray();

        assertThat(users.ensureAdmin("admin", password)).isTrue();
        users.add("viv", "viewer pass".toCharArray(), Role.VIEWER);
        assertThat(users.ensureAdmin("admin", "another".toCharArray())).isFalse();
        assertThat(fieldOf(() -> users.add("viv", "x".toCharArray(), Role.OPERATOR)))
                .isEqualTo("name");

        LabUsers again = restart(store).users();
        assertThat(again.count()).isEqualTo(2);
        assertThat(again.role("admin")).contains(Role.OPERATOR);
        assertThat(again.role("viv")).contains(Role.VIEWER);
        assertThat(again.role("nobody")).isEmpty();
        assertThat(again.verifier("nobody")).isEmpty();
        ScramVerifier v = again.verifier("admin").orElseThrow();
        assertThat(v.iterations()).isEqualTo(4096);

        try (Connection c = DriverManager.getConnection(database.url(), database.user(),
                database.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select name, verifier from lab_user")) {
            while (rs.next()) {
                String stored = rs.getString("verifier");
                assertThat(stored).startsWith("SCRAM-SHA-256$4096:")
                        .doesNotContain("correct horse", "viewer pass");
                if (rs.getString("name").equals("admin")) {
                    assertThat(ScramVerifier.parse(stored)).isEqualTo(v);
                }
            }
        }
    }
}
