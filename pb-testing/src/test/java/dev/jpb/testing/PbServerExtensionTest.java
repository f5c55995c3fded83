package dev.jpb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jpb.PbException;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs the {@link Fixtures} through the Jupiter engine and looks at what the kit did. */
@Timeout(60)
class PbServerExtensionTest {
    @BeforeEach
    void reset() {
        Fixtures.seen.clear();
        // Netty reports a leak trace once per JVM: every leak here carries a hint of its own.
        Fixtures.leakHint = "deliberate leak " + UUID.randomUUID();
    }

    private static Events run(Class<?> fixture) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture)).execute();
        assertThat(results.containerEvents().failed().count())
                .as("failed containers of %s", fixture.getSimpleName()).isZero();
        return results.testEvents();
    }

    private static void assertPasses(Class<?> fixture) {
        Events tests = run(fixture);
        assertThat(tests.failed().count())
                .withFailMessage(() -> "expected " + fixture.getSimpleName() + " to pass, got "
                        + tests.failed().stream()
                                .map(e -> e.getPayload(TestExecutionResult.class)
                                        .flatMap(TestExecutionResult::getThrowable)
                                        .map(Throwable::toString).orElse("?"))
                                .toList())
                .isZero();
        assertThat(tests.succeeded().count()).isPositive();
    }

    private static Throwable onlyFailure(Class<?> fixture) {
        Events tests = run(fixture);
        assertThat(tests.failed().count()).as("failed tests of %s", fixture.getSimpleName())
                .isEqualTo(1);
        return tests.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    @Test
    void aTestWhoseServiceKeepsACallbackFailsNamingBothTables() {
        Throwable failure = onlyFailure(Fixtures.KeepsACallback.class);

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("reference tables did not drain within PT1S after the"
                        + " test:")
                .hasMessageContaining("client #1 Connection[")
                .hasMessageContaining("exports 1 (its objects the server holds references to)")
                .hasMessageContaining("imports 1 (references it holds to its client's objects)")
                .hasMessageContaining("mark the test @SkipTableCheck");
    }

    @Test
    void aReferenceTheTestStillHoldsFailsTheTest() {
        Throwable failure = onlyFailure(Fixtures.HoldsAReferenceInAField.class);

        assertThat(failure).hasMessageStartingWith("reference tables did not drain")
                .hasMessageContaining("imports 1 (references it holds to server objects)")
                .hasMessageContaining("exports 1 (server objects its client holds references to)");
        Fixtures.HoldsAReferenceInAField.held = null;
    }

    @Test
    void aLoggedInClientsPerspectiveMayStayButWhatItHandedOutMayNot() {
        assertPasses(Fixtures.StaysLoggedIn.class);

        Throwable failure = onlyFailure(Fixtures.StaysLoggedInAndHoldsAReference.class);
        assertThat(failure).hasMessageStartingWith("reference tables did not drain")
                .hasMessageContaining("imports 2 (references it holds to server objects)")
                .hasMessageContaining("exports 2 (server objects its client holds references to)");
        Fixtures.StaysLoggedInAndHoldsAReference.held = null;
    }

    @Test
    void aRootTheTestKeepsInAFieldMayStay() {
        assertPasses(Fixtures.HoldsItsRootInAField.class);
    }

    @Test
    void skipTableCheckLetsTheSameTestPass() {
        assertPasses(Fixtures.KeepsACallbackButSkipsTheCheck.class);
    }

    @Test
    void skipTableCheckOnTheClassLetsItsTestsPass() {
        assertPasses(Fixtures.KeepsCallbacksInAClassThatSkipsTheCheck.class);
    }

    @Test
    void registeredTypesAndClientOptionsReachTheServerAndEveryClient() {
        assertPasses(Fixtures.UsesTheBuilderOptions.class);
    }

    @Test
    void checkTablesFalseLetsTheSameTestPass() {
        assertPasses(Fixtures.KeepsACallbackWithTheCheckOff.class);
    }

    @Test
    void aTestThatFailedOnItsOwnIsNotCheckedOnTop() {
        Throwable failure = onlyFailure(Fixtures.KeepsACallbackAndFailsOnItsOwn.class);

        assertThat(failure).hasMessageContaining("the test's own failure")
                .hasNoSuppressedExceptions();
    }

    @Test
    void referencesDroppedByTheTestAreGivenBackAndTheTestPasses() {
        assertPasses(Fixtures.DropsItsReferences.class);

        PbClient client = (PbClient) Fixtures.seen.get(0);
        assertThat(client.connection().isOpen()).as("closed after the test").isFalse();
    }

    @Test
    void aLeakedBufferFailsTheTestWithNettysReport() {
        Throwable failure = onlyFailure(Fixtures.LeaksABuffer.class);

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Netty found 1 ByteBuf(s) garbage collected without"
                        + " release() during the test")
                .hasMessageContaining("mark the test @AllowBufferLeaks")
                .hasMessageContaining(Fixtures.leakHint);
    }

    @Test
    void overTheInProcessTransportAKeptCallbackFailsTheTest() {
        Throwable failure = onlyFailure(Fixtures.KeepsACallbackLocally.class);

        assertThat(failure).hasMessageStartingWith("reference tables did not drain")
                .hasMessageContaining("exports 1 (its objects the server holds references to)");
    }

    @Test
    void overTheInProcessTransportALeakedBufferFailsTheTest() {
        Throwable failure = onlyFailure(Fixtures.LeaksABufferLocally.class);

        assertThat(failure).hasMessageStartingWith("Netty found 1 ByteBuf(s) garbage collected"
                + " without release() during the test").hasMessageContaining(Fixtures.leakHint);
    }

    @Test
    void overTheInProcessTransportACleanTestPassesWithoutSockets() {
        assertPasses(Fixtures.CleanLocally.class);

        assertThat(Fixtures.seen).singleElement().asString().startsWith("local:");
    }

    @Test
    void allowBufferLeaksLetsTheSameTestPassAndTheNextIsNotBlamed() {
        assertPasses(Fixtures.LeaksABufferOnPurpose.class);
        assertPasses(Fixtures.Clean.class);
    }

    @Test
    void checkBufferLeaksFalseLetsTheSameTestPass() {
        assertPasses(Fixtures.LeaksABufferWithTheCheckOff.class);
        // The leak is the JVM's now: drop it so that it is not blamed on a later test.
        BufferLeaks.collect();
    }

    @Test
    void aStaticExtensionServesEveryTestOfTheClassAndClosesEachTestsClients() {
        assertPasses(Fixtures.PerClass.class);

        assertThat(Fixtures.seen).hasSize(4);
        PbServer first = (PbServer) Fixtures.seen.get(0);
        assertThat(Fixtures.seen.get(2)).as("the second test's server").isSameAs(first);
        assertThat(((PbClient) Fixtures.seen.get(1)).connection().isOpen()).isFalse();
        assertThat(((PbClient) Fixtures.seen.get(3)).connection().isOpen()).isFalse();
        assertThat(first.connectionCount()).isZero();
        assertThatConnectingFails(first);
    }

    @Test
    void anInstanceExtensionGivesEachTestAServerOfItsOwn() {
        assertPasses(Fixtures.PerTest.class);

        assertThat(Fixtures.seen).hasSize(5);
        PbServer first = (PbServer) Fixtures.seen.get(0);
        PbServer second = (PbServer) Fixtures.seen.get(2);
        assertThat(second).isNotSameAs(first);
        assertThat(Fixtures.seen.get(4)).as("connections of the first server during the second"
                + " test").isEqualTo(0);
        assertThat(((PbClient) Fixtures.seen.get(1)).connection().isOpen()).isFalse();
        assertThat(((PbClient) Fixtures.seen.get(3)).connection().isOpen()).isFalse();
        assertThatConnectingFails(first);
        assertThatConnectingFails(second);
    }

    private static void assertThatConnectingFails(PbServer closed) {
        assertThatThrownBy(() -> PbClient.connect("127.0.0.1", closed.port()).close())
                .as("connecting to a closed server").isInstanceOf(PbException.class);
    }
}
