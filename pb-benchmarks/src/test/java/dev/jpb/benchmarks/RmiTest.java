package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RmiTest {
    @Test
    void answersAddEchoAndACallbackThroughTheExportedClientObject() throws Exception {
        RmiState rmi = new RmiState();
        rmi.start(); // checks add(20, 22) and withCallback(41) itself
        try {
            assertThat(rmi.bench.add(-7, Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE - 7);
            byte[] payload = new byte[W3Payload.BYTES];
            new Random(1).nextBytes(payload);
            assertThat(rmi.bench.echo(payload)).isEqualTo(payload).isNotSameAs(payload);
            for (int i = 0; i < 50; i++) {
                assertThat(rmi.bench.withCallback(rmi.callback, i)).isEqualTo(i + 1);
            }
        } finally {
            rmi.stop();
        }
    }

    @Test
    void tearDownUnexportsEverythingSoNoRmiThreadKeepsTheJvmAlive() throws Exception {
        RmiState rmi = new RmiState();
        rmi.start();
        int port = rmi.server.port();
        assertThat(rmi.bench.withCallback(rmi.callback, 1)).isEqualTo(2);
        rmi.stop();
        // the Reaper (non-daemon) ends once nothing is exported any more
        for (Thread t : rmiThreads()) {
            if (!t.isDaemon()) {
                t.join(20_000);
            }
        }
        assertThat(rmiThreads()).noneMatch(t -> !t.isDaemon() && t.isAlive());
        // and the server's listener is closed
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
    }

    private static List<Thread> rmiThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("RMI")).toList();
    }
}
