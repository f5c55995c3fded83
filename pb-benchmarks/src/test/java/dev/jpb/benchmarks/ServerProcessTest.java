package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two-JVM mode: each state's server half in a real child JVM. */
@Timeout(120)
class ServerProcessTest {
    @AfterEach
    void oneJvmAgain() {
        System.clearProperty(ServerProcess.TWO_JVM);
    }

    @Test
    void jpbStateCallsItsServerInAChildJvmAndTearDownEndsIt() throws Exception {
        System.setProperty(ServerProcess.TWO_JVM, "true");
        JpbState jpb = new JpbState();
        jpb.start(); // checks add(20, 22) itself
        Process child = jpb.child.process();
        try {
            assertThat(jpb.server).isNull(); // not in this JVM
            assertThat(child.isAlive()).isTrue();
            assertThat(jpb.root.<Integer>callRemote("withCallback", jpb.callback, 41)
                    .get(10, TimeUnit.SECONDS)).isEqualTo(42);
        } finally {
            jpb.stop();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isZero(); // it ended itself when its input closed
    }

    @Test
    void rmiStateCallsBackIntoThisJvmFromTheChild() throws Exception {
        System.setProperty(ServerProcess.TWO_JVM, "true");
        RmiState rmi = new RmiState();
        rmi.start(); // checks add and withCallback itself
        Process child = rmi.child.process();
        try {
            assertThat(rmi.server).isNull();
            for (int i = 0; i < 20; i++) {
                assertThat(rmi.bench.withCallback(rmi.callback, i)).isEqualTo(i + 1);
            }
        } finally {
            rmi.stop();
        }
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void floorAndGrpcServersRunInChildJvmsToo() throws Exception {
        try (ServerProcess floor = ServerProcess.start(FloorState.class);
                Floor.Client client = new Floor.Client(floor.port())) {
            assertThat(client.add(1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(client.withCallback(6).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        }
        try (ServerProcess grpc = ServerProcess.start(GrpcDefaultState.class)) {
            Grpc.Client client = new Grpc.Client(grpc.port(), false);
            try {
                assertThat(client.add(1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(3);
                assertThat(client.withCallback(6).get(10, TimeUnit.SECONDS)).isEqualTo(7);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void addressLinesStartWithThePort() {
        assertThat(ServerProcess.port("41234")).isEqualTo(41234);
        assertThat(ServerProcess.port("41234 rO0ABXNy")).isEqualTo(41234);
    }
}
