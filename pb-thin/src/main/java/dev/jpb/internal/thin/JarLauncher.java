package dev.jpb.internal.thin;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The main class of {@code pb-thin-client.jar}, and the jar's own class-data-sharing archive:
 * {@code java -jar pb-thin-client.jar ...} runs the client ({@code ThinClient.main}) in a
 * child JVM started with the same command line plus {@code -XX:TieredStopAtLevel=1} and
 * {@code -XX:SharedArchiveFile} of an archive of the classes a client loads (JavaFX, Netty,
 * TLS, Kryo, jpb), so that each start maps them instead of reading, parsing and verifying
 * thousands of classes from the 24 MB jar. The first start, finding no archive, runs the child
 * with {@code -XX:ArchiveClassesAtExit} instead: the JVM writes the archive when that client
 * exits, and every later start uses it. JDK 17 has no {@code -XX:+AutoCreateSharedArchive}
 * (JDK 19); this is that, by hand. This class loads nothing of the client's: the launching JVM
 * starts in the time the JDK's own archive allows.
 *
 * <p>{@code -XX:TieredStopAtLevel=1}: the client's JIT compiles with C1 only. A fresh client
 * spends most of its CPU compiling, and on a machine of two cores C2's compiler threads take
 * the cores the JavaFX thread needs to build and paint the first window; C1's code is good
 * enough for a GUI whose heavy work runs on the server. A later {@code -XX:TieredStopAtLevel}
 * on the command line wins.
 *
 * <p>The archive lives in {@code $XDG_CACHE_HOME/jpb-thin} (else {@code ~/.cache/jpb-thin}),
 * or in the folder {@code -Djpb.thin.cds.dir} names, under a name derived from the jar (path,
 * size, modification time) and the JVM (its home and version): another jar or JDK gets an
 * archive of its own, and a JVM that finds an archive it cannot use runs without it. Off with
 * {@code -Djpb.thin.cds=false} (the client then runs in this JVM, as it did), and when the
 * command line asks for CDS itself ({@code -XX:SharedArchiveFile}, {@code -Xshare:...}).
 *
 * <p>The launching JVM only waits: it passes its standard streams to the child, stops the child
 * when it is stopped itself (SIGTERM), and exits with the child's exit code.
 */
public final class JarLauncher {
    /** {@code false} runs the client in the launching JVM, without an archive. */
    static final String PROPERTY = "jpb.thin.cds";
    /** The folder the archives go in. */
    static final String DIR_PROPERTY = "jpb.thin.cds.dir";
    /**
     * Set in the child: it runs the client rather than launching again; when it writes the
     * archive, the file it creates once its first window is shown (an archive of a start
     * that never showed a window, {@code --help} or a refused login, is not kept).
     */
    static final String CHILD_PROPERTY = "jpb.thin.cds.child";

    private final Process child;
    private final Path writing; // the archive the child writes at exit, or null
    private final Path shown; // created by the child once a window showed, or null
    private final Path archive;
    private boolean finished; // guarded by this

    /**
     * The jar's entry point: the client in a child JVM with the archive, else in this one.
     *
     * @param args {@code ThinClient.main}'s command line
     */
    public static void main(String[] args) {
        Optional<Integer> child = relaunch(System.err);
        if (child.isPresent()) {
            System.exit(child.get());
            return;
        }
        dev.jpb.thin.ThinClient.main(args);
    }

    private JarLauncher(Process child, Path writing, Path shown, Path archive) {
        this.child = child;
        this.writing = writing;
        this.shown = shown;
        this.archive = archive;
    }

    /**
     * Runs the client in a child JVM with the archive if this JVM was started as
     * {@code java -jar pb-thin-client.jar} and the archive is on; returns its exit code, or
     * empty if the client is to run in this JVM.
     */
    private static Optional<Integer> relaunch(PrintStream err) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || System.getProperty(CHILD_PROPERTY) != null) {
            return Optional.empty();
        }
        String classPath = System.getProperty("java.class.path", "");
        Path jar = Path.of(classPath).toAbsolutePath();
        if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)
                || !Files.isRegularFile(jar)) {
            return Optional.empty(); // not java -jar: an embedding program, a test, an IDE
        }
        try {
            java.security.CodeSource source = JarLauncher.class.getProtectionDomain()
                    .getCodeSource();
            if (source == null || !Path.of(source.getLocation().toURI()).toAbsolutePath()
                    .equals(jar)) {
                return Optional.empty(); // a launcher jar (surefire's) on another class path
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        Optional<String> java = self.command();
        Optional<String[]> args = self.arguments();
        if (java.isEmpty() || args.isEmpty()) {
            return Optional.empty(); // this platform does not say how we were started
        }
        for (String a : args.get()) {
            if (a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:ArchiveClassesAtExit")
                    || a.startsWith("-Xshare")) {
                return Optional.empty(); // CDS asked for by hand
            }
        }
        Path archive;
        Path writing = null;
        Path shown = null;
        List<String> command = new ArrayList<>();
        command.add(java.get());
        try {
            Path dir = directory();
            archive = dir.resolve(name(jar));
            if (Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
            } else {
                Files.createDirectories(dir);
                writing = dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid()
                        + ".tmp");
                shown = dir.resolve(writing.getFileName() + ".shown");
                command.add("-XX:ArchiveClassesAtExit=" + writing);
            }
        } catch (IOException | RuntimeException e) {
            err.println("jpb-thin: no class-data-sharing archive (" + e + "); starting without");
            return Optional.empty();
        }
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto"); // an archive this JVM cannot use is passed over
        command.add("-Xlog:cds=off,cds+dynamic=off"); // ... without a warning on each start
        command.add("-D" + CHILD_PROPERTY + "=" + (shown == null ? "true" : shown));
        command.addAll(List.of(args.get()));
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            err.println("jpb-thin: cannot start " + java.get() + " (" + e + "); starting in"
                    + " this JVM, without a class-data-sharing archive");
            return Optional.empty();
        }
        JarLauncher launched = new JarLauncher(child, writing, shown, archive);
        // Stopped ourselves (SIGTERM, Ctrl-C): stop the client too, letting it exit normally
        // (it writes the archive then), rather than leave it running without us.
        Runtime.getRuntime().addShutdownHook(new Thread(launched::stopChild,
                "jpb-thin-cds-stop"));
        int code;
        try {
            code = child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launched.stopChild();
            code = 1;
        }
        launched.finish();
        return Optional.of(code);
    }

    private void stopChild() {
        if (child.isAlive()) {
            child.destroy();
            try {
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        finish();
    }

    /** Puts the archive the child wrote in its place (once); the first writer wins. */
    private synchronized void finish() {
        if (finished || writing == null) {
            return;
        }
        finished = true;
        try {
            if (Files.isRegularFile(writing) && Files.size(writing) > 0
                    && Files.exists(shown) && !Files.exists(archive)) {
                try {
                    Files.move(writing, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(writing, archive);
                }
            }
        } catch (IOException e) {
            // another client's archive is in place already, or the folder is read-only: the
            // next start tries again
        } finally {
            try {
                Files.deleteIfExists(writing);
                Files.deleteIfExists(shown);
            } catch (IOException e) {
                // left behind in the cache folder; harmless
            }
        }
    }

    /**
     * Notes, in a child writing the archive, that its first window is shown: the archive it
     * writes at exit holds what a client loads, and is kept.
     */
    public static void windowShown() {
        String marker = System.getProperty(CHILD_PROPERTY);
        if (marker != null && !marker.equals("true")) {
            try {
                Files.write(Path.of(marker), new byte[0]);
            } catch (IOException | RuntimeException e) {
                // the archive is not kept; the next start writes one again
            }
        }
    }

    /** The archive folder: {@code -Djpb.thin.cds.dir}, else the user's cache folder. */
    static Path directory() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jpb-thin");
    }

    /**
     * The archive's file name for this jar and this JVM: a 64-bit FNV-1a hash of the key, not
     * a {@code MessageDigest}, whose providers would take the launching JVM tens of
     * milliseconds to load (a JVM checks an archive it is given itself).
     */
    static String name(Path jar) throws IOException {
        String key = jar + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar)
                .toMillis() + "\n" + System.getProperty("java.home") + "\n"
                + System.getProperty("java.vm.version");
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        String file = jar.getFileName().toString();
        return file.substring(0, file.length() - ".jar".length()) + "-"
                + "0".repeat(16 - hex.length()) + hex + ".jsa";
    }
}
