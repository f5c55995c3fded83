package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.RemoteReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class W9LoginTest {
    @Test
    void eachInvocationLogsInOverTlsAndLeavesNoConnection() throws Exception {
        W9Login bench = new W9Login();
        bench.start();
        try {
            for (int i = 0; i < 3; i++) {
                RemoteReference perspective = (RemoteReference) bench.loginTls();
                assertThat(perspective.isConnected()).isFalse(); // closed after the login
                assertThat(bench.connectTls()).isNotNull();
            }
            try (var client = bench.connectClient()) {
                RemoteReference perspective = client.login("alice", W9Login.PASSWORD, null)
                        .get(10, TimeUnit.SECONDS);
                assertThat(perspective.<Integer>callRemote("add", 40, 2)
                        .get(10, TimeUnit.SECONDS)).isEqualTo(42);
            }
        } finally {
            bench.stop();
        }
        assertThat(bench.server.connectionCount()).isZero();
    }
}
