package dev.jpb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parts the tests of cache updates share ({@link CacheOrderTest}, {@link
 * SharedUpdateOrderTest}, {@link CacheNonBlockingTest}, {@link SharedUpdateTest}, {@link
 * CacheDispatchTest}): a cacheable that keeps its observers, and for the ordering tests a copy
 * and a callback that record the numbers they receive in one arrival list.
 */
final class OrderFixtures {
    private OrderFixtures() {
    }

    /**
     * The owner's cacheable: keeps its observers; {@link #send} updates them all at once (one
     * {@code callRemoteAll}).
     */
    public static class Feed extends Cacheable {
        final List<Observer> observers = new CopyOnWriteArrayList<>();

        @Override
        protected Object stateFor(Observer observer) {
            observers.add(observer);
            return null;
        }

        @Override
        protected void stoppedObserving(Observer observer) {
            observers.remove(observer);
        }

        void send(String name, Object... args) {
            callRemoteAll(observers, name, args);
        }

        void publish(int n) {
            send("seq", n);
        }
    }

    /** A receiver's copy: records each update's number in the receiver's arrival list. */
    public static class FeedCopy extends RemoteCache {
        final List<Integer> arrivals;

        FeedCopy(List<Integer> arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        protected void setState(Object state) {
        }

        public void observe_seq(int n) {
            arrivals.add(n);
        }
    }

    /** A receiver's callback: records numbered calls in the same list, counts the noise. */
    public static class Callback extends Referenceable {
        final List<Integer> arrivals;
        final AtomicLong noise = new AtomicLong();

        Callback(List<Integer> arrivals) {
            this.arrivals = arrivals;
        }

        public void remote_seq(int n) {
            arrivals.add(n);
        }

        public int remote_seqAnswered(int n) {
            arrivals.add(n);
            return n;
        }

        public void remote_noise() {
            noise.incrementAndGet();
        }

        public long remote_noiseAnswered() {
            return noise.incrementAndGet();
        }
    }
}
