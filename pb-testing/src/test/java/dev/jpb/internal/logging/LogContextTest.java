package dev.jpb.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.metrics.RawPeer;
import dev.jpb.testing.PbServerExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What jpb logs about a connection carries its id and peer in the MDC (real logback). */
@Timeout(60)
class LogContextTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Whoami()));

    private final Logger brokerLog = (Logger) LoggerFactory.getLogger(Broker.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;

    /** Answers with what the MDC holds while its method runs. */
    public static final class Whoami extends Root {
        public List<String> remote_mdc() {
            return Arrays.asList(MDC.get(LogContext.CONNECTION),
                    MDC.get(LogContext.REMOTE));
        }
    }

    @BeforeEach
    void capture() {
        lines.start();
        brokerLog.addAppender(lines);
        level = brokerLog.getLevel();
        brokerLog.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        brokerLog.detachAppender(lines);
        brokerLog.setLevel(level);
    }

    @Test
    void violationsAreOneWarningWithTheConnectionInTheMdcAndACountAtClose() throws Exception {
        String peerAddress;
        long id;
        try (RawPeer peer = new RawPeer(server.server().localAddress())) {
            peerAddress = peer.localAddress().toString();
            for (int i = 1; i <= 3; i++) {
                peer.answerUnknownRequest(1000 + i);
            }
            await().atMost(WAIT).until(() -> violationLines().size() == 3);
            Connection connection = server.server().connections().iterator().next();
            id = connection.id();

            List<ILoggingEvent> warnings = violationLines().stream()
                    .filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage())
                    .contains("answer to unknown request 1001", "logged at DEBUG");
            assertThat(warnings.get(0).getMDCPropertyMap())
                    .containsEntry(LogContext.CONNECTION, Long.toString(id))
                    .containsEntry(LogContext.REMOTE, peerAddress);
            for (ILoggingEvent e : violationLines()) {
                assertThat(e.getMDCPropertyMap()).containsKeys(LogContext.CONNECTION,
                        LogContext.REMOTE);
            }
        }
        await().atMost(WAIT).until(() -> lines.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("closed after 3 protocol")));
        ILoggingEvent atClose = lines.list.stream()
                .filter(e -> e.getFormattedMessage().contains("closed after 3 protocol"))
                .findFirst().orElseThrow();
        assertThat(atClose.getLevel()).isEqualTo(Level.WARN);
        assertThat(atClose.getFormattedMessage()).contains("last: answer to unknown request 1003");
        assertThat(atClose.getMDCPropertyMap())
                .containsEntry(LogContext.CONNECTION, Long.toString(id))
                .containsEntry(LogContext.REMOTE, peerAddress);
    }

    @Test
    void applicationCodeOnTheExecutorRunsWithTheConnectionInTheMdc() throws Exception {
        MDC.put(LogContext.CONNECTION, "the test's own");
        try {
            RemoteReference root = server.newRoot();
            Connection onServer = server.server().connections().iterator().next();

            List<String> seen = root.<List<String>>callRemote("mdc").get(10, TimeUnit.SECONDS);

            assertThat(seen).containsExactly(Long.toString(onServer.id()),
                    onServer.remoteAddress().toString());
            assertThat(MDC.get(LogContext.CONNECTION)).isEqualTo("the test's own");
        } finally {
            MDC.remove(LogContext.CONNECTION);
        }
    }

    private List<ILoggingEvent> violationLines() {
        return lines.list.stream()
                .filter(e -> e.getFormattedMessage().contains("protocol violation"))
                .toList();
    }
}
