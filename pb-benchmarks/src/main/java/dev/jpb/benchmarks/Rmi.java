package dev.jpb.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.ExportException;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Base64;

/**
 * The Java RMI baseline (in the JDK, no dependency): the floor's three calls as methods of a
 * remote interface, {@link Bench}, served by an object exported with
 * {@link UnicastRemoteObject#exportObject(Remote, int, java.rmi.server.RMIClientSocketFactory,
 * RMIServerSocketFactory)} on a free port of {@code 127.0.0.1}, with no registry: the
 * client gets the stub itself (serialized, as a registry would hand it over; in two-JVM mode
 * on the server process's standard output, see {@link ServerProcess}).
 *
 * <p>RMI as applications use it: its own thread per connection on the server, blocking
 * sockets, {@code TCP_NODELAY} (RMI sets it on both ends), Java serialization of arguments
 * and results. W4's callback is a client-side object exported the same way and passed as an
 * argument; the server's {@link Bench#withCallback} calls its {@link Callback#ping} on its own
 * thread (a connection from the server back to the client's listener, kept in RMI's pool) and
 * returns the answer.
 *
 * <p>{@code java.rmi.server.hostname} is set to {@code 127.0.0.1} when this class loads, so the
 * stubs name the loopback address; the child JVM gets it on its command line too.
 */
public final class Rmi {
    static {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
    }

    private Rmi() {
    }

    /** The server's remote interface: the calls of W1, W3 and W4. */
    public interface Bench extends Remote {
        /**
         * Returns {@code a + b} (W1).
         *
         * @param a the first addend
         * @param b the second addend
         * @return the sum
         * @throws RemoteException if the call fails
         */
        int add(int a, int b) throws RemoteException;

        /**
         * Returns the bytes it was sent (W3).
         *
         * @param bytes the payload
         * @return the same bytes (the caller gets a copy)
         * @throws RemoteException if the call fails
         */
        byte[] echo(byte[] bytes) throws RemoteException;

        /**
         * Calls {@code callback.ping(a)} and returns its answer (W4).
         *
         * @param callback the caller's exported callback object
         * @param a the value to ping with
         * @return the callback's answer, {@code a + 1}
         * @throws RemoteException if the call or the callback fails
         */
        int withCallback(Callback callback, int a) throws RemoteException;
    }

    /** W4's client-side remote interface. */
    public interface Callback extends Remote {
        /**
         * Returns {@code a + 1}.
         *
         * @param a the value
         * @return {@code a + 1}
         * @throws RemoteException if the call fails
         */
        int ping(int a) throws RemoteException;
    }

    /** The server: a {@link Bench} exported on an ephemeral loopback port. */
    static final class Server implements AutoCloseable {
        private final Loopback sockets = new Loopback();
        private final BenchImpl impl = new BenchImpl();
        private final Bench stub;

        Server() throws RemoteException {
            stub = export(impl, Bench.class, sockets);
        }

        /** Returns the port the object listens on. */
        int port() {
            return sockets.port;
        }

        /** Returns the stub, serialized and in Base64 (one line of text). */
        String stubText() {
            return serialize(stub);
        }

        /** Unexports the object, which closes its listener. */
        @Override
        public void close() {
            unexport(impl);
        }
    }

    /** W4's callback object, on the client: answers {@code a + 1}. */
    static final class PingBack implements Callback {
        private final Loopback sockets = new Loopback();
        private Callback stub;

        /** Exports this object (once) and returns its stub. */
        synchronized Callback export() throws RemoteException {
            if (stub == null) {
                stub = Rmi.export(this, Callback.class, sockets);
            }
            return stub;
        }

        @Override
        public int ping(int a) {
            return a + 1;
        }

        /** Unexports this object if it was exported. */
        synchronized void close() {
            if (stub != null) {
                unexport(this);
                stub = null;
            }
        }
    }

    private static final class BenchImpl implements Bench {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public byte[] echo(byte[] bytes) {
            return bytes;
        }

        @Override
        public int withCallback(Callback callback, int a) throws RemoteException {
            return callback.ping(a);
        }
    }

    /** Listens on {@code 127.0.0.1} only, and remembers the port it was given. */
    private static final class Loopback implements RMIServerSocketFactory {
        private volatile int port;

        @Override
        public ServerSocket createServerSocket(int requested) throws IOException {
            ServerSocket socket = new ServerSocket(requested, 50, InetAddress.getLoopbackAddress());
            port = socket.getLocalPort();
            return socket;
        }
    }

    /**
     * Exports {@code object} on a free port of its own. Not on port 0: RMI keeps a listener of
     * an anonymous port open after its last object is unexported, but closes one of a port
     * given, so tear-down leaves no socket behind. The port is found by binding port 0 and
     * closing it; should another process take it meanwhile, the next free port is tried.
     */
    private static <T extends Remote> T export(Remote object, Class<T> type, Loopback sockets)
            throws RemoteException {
        for (int attempt = 1; ; attempt++) {
            try {
                return type.cast(UnicastRemoteObject.exportObject(object, freePort(), null,
                        sockets));
            } catch (ExportException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() throws RemoteException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ExportException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void unexport(Remote object) {
        try {
            UnicastRemoteObject.unexportObject(object, true);
        } catch (NoSuchObjectException e) {
            // not exported (any more): nothing to do
        }
    }

    /** Returns {@code stub} serialized, in Base64. */
    static String serialize(Remote stub) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(stub);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Reads a {@link Bench} stub written by {@link #serialize}. */
    static Bench bench(String text) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(text);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (Bench) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("RMI stub of an unknown class: " + e.getMessage(), e);
        }
    }
}
