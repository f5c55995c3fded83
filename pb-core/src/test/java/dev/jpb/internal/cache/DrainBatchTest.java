package dev.jpb.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The drains of one update gathered per event loop: one task per loop, each drain once. */
@Timeout(10)
class DrainBatchTest {
    /** An event loop stand-in: keeps the tasks it is given, runs them when told. */
    private static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runTasks() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    @Test
    void oneTaskPerLoopRunsThatLoopsDrainsInTheOrderAdded() {
        Loop a = new Loop();
        Loop b = new Loop();
        List<String> ran = new ArrayList<>();
        DrainBatch batch = new DrainBatch();
        for (int i = 0; i < 4; i++) {
            String n = Integer.toString(i);
            batch.add(a, () -> ran.add("a" + n));
            batch.add(b, () -> ran.add("b" + n));
        }
        batch.add(a, () -> ran.add("a4"));
        assertThat(ran).isEmpty(); // nothing runs before run()
        batch.run();
        assertThat(a.tasks).hasSize(1);
        assertThat(b.tasks).hasSize(1);
        a.runTasks();
        b.runTasks();
        assertThat(ran).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3");
    }

    @Test
    void aLoneDrainIsHandedToItsLoopAsItIs() {
        Loop a = new Loop();
        Runnable drain = () -> { };
        DrainBatch batch = new DrainBatch();
        batch.add(a, drain);
        batch.run();
        assertThat(a.tasks).containsExactly(drain); // no wrapper for one connection
    }

    @Test
    void aFailingDrainDoesNotStopTheOthersOfItsLoop() {
        Loop a = new Loop();
        List<String> ran = new ArrayList<>();
        DrainBatch batch = new DrainBatch();
        batch.add(a, () -> ran.add("first"));
        batch.add(a, () -> {
            throw new IllegalStateException("broken connection");
        });
        batch.add(a, () -> ran.add("third"));
        batch.run();
        a.runTasks();
        assertThat(ran).containsExactly("first", "third");
    }

    @Test
    void aStoppedLoopDropsItsDrainsAndTheOtherLoopsStillGetTheirs() {
        Executor stopped = task -> {
            throw new RejectedExecutionException("event loop shut down");
        };
        Loop a = new Loop();
        List<String> ran = new ArrayList<>();
        DrainBatch batch = new DrainBatch();
        batch.add(stopped, () -> ran.add("never"));
        batch.add(a, () -> ran.add("a"));
        batch.run();
        a.runTasks();
        assertThat(ran).containsExactly("a");
    }

    @Test
    void runEmptiesTheBatchSoItCanBeUsedAgainWithOtherLoops() {
        Loop a = new Loop();
        Loop b = new Loop();
        List<String> ran = new ArrayList<>();
        DrainBatch batch = new DrainBatch();
        batch.add(a, () -> ran.add("1a"));
        batch.add(a, () -> ran.add("2a"));
        batch.run();
        batch.run(); // nothing left: no second task
        assertThat(a.tasks).hasSize(1);
        a.runTasks();
        batch.add(b, () -> ran.add("3b"));
        batch.add(a, () -> ran.add("4a"));
        batch.add(b, () -> ran.add("5b"));
        batch.run();
        assertThat(a.tasks).hasSize(1);
        assertThat(b.tasks).hasSize(1);
        a.runTasks();
        b.runTasks();
        assertThat(ran).containsExactly("1a", "2a", "4a", "3b", "5b");
    }

    @Test
    void aThreadsSpareBatchIsTakenOnceUntilGivenBack() {
        DrainBatch first = DrainBatch.take();
        DrainBatch second = DrainBatch.take(); // the spare is taken: a fresh one
        assertThat(second).isNotSameAs(first);
        first.giveBack();
        assertThat(DrainBatch.take()).isSameAs(first);
    }
}
