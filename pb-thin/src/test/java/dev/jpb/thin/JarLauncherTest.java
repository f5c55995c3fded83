package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static dev.jpb.thin.ThinTestSupport.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.internal.thin.JarLauncher;
import dev.jpb.server.PbServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar} on a jar whose main class is {@link JarLauncher}, as
 * {@code pb-thin-client.jar} is, against a real server pushing a window: the first start
 * writes the class-data-sharing archive (kept once a window showed), the next one maps the
 * client's classes from it; a start that shows no window keeps none; {@code -Djpb.thin.cds=false}
 * runs the client in the launching JVM. The clients are real JVMs on Monocle's headless glass.
 */
@Timeout(240)
class JarLauncherTest {
    private final ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
    private PbServer server;
    @TempDir
    Path dir;
    private Path jar;
    private Path archives;

    @BeforeEach
    void setUp() throws Exception {
        server = ThinTestSupport.server(root);
        jar = launcherJar(dir.resolve("launcher.jar"));
        archives = dir.resolve("cds");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void theFirstStartWritesTheArchiveAndTheNextStartsMapTheClientsClassesFromIt()
            throws Exception {
        List<String> first = runUntilShown(List.of("-Xlog:class+load=info"));
        assertThat(first).anyMatch(l -> l.contains("dev.jpb.thin.ThinClient source: file:"));
        assertThat(jsaFiles()).as("the archive, and nothing half-written").hasSize(1)
                .allMatch(f -> f.getFileName().toString().startsWith("launcher-"));

        List<String> second = runUntilShown(List.of("-Xlog:class+load=info"));
        // mapped from the archive the first client wrote: not read from the jar again
        assertThat(second).anyMatch(l -> l.contains(
                "dev.jpb.thin.ThinClient source: shared objects file (top)"));
        // ... also what loads only once a window is pushed (here the classes in the jar
        // itself: JDK 17 archives none from the jars its manifest's Class-Path names, which
        // the shaded pb-thin-client.jar has none of)
        assertThat(second).anyMatch(l -> l.contains(
                "dev.jpb.internal.thin.LoadedBundle source: shared objects file (top)"));
    }

    @Test
    void aStartThatShowsNoWindowKeepsNoArchive() throws Exception {
        Process p = start(List.of(), List.of("--help"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT.toSeconds() * 3, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).contains("usage: java -jar pb-thin-client.jar");
        assertThat(jsaFiles()).isEmpty();
        assertThat(leftOver()).as("no temporary archive or marker left").isEmpty();
    }

    @Test
    void offTheClientRunsInTheLaunchingJvmWithoutAnArchive() throws Exception {
        List<String> out = runUntilShown(List.of("-Djpb.thin.cds=false",
                "-Xlog:class+load=info"));
        assertThat(out).anyMatch(l -> l.contains("dev.jpb.thin.ThinClient source: file:"));
        assertThat(Files.exists(archives)).isFalse();
    }

    /** Starts a client, waits for its window, stops it (SIGTERM) and returns its output. */
    private List<String> runUntilShown(List<String> jvmFlags) throws Exception {
        Process p = start(jvmFlags, List.of("127.0.0.1", String.valueOf(server.port())));
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = reader(p.getInputStream(), lines);
        List<String> seen = new ArrayList<>();
        try {
            RemoteDisplay display = root.next();
            display.window("form").open(WindowSpec.titled("Contact").size(460, 400),
                    form().build(), null).get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT.toSeconds() * 3);
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("<end>")) {
                    throw new AssertionError("the client showed no window; its output:\n"
                            + String.join("\n", seen));
                }
                seen.add(line);
                if (line.contains("jpb-thin: first window (form) shown")) {
                    break;
                }
            }
        } finally {
            p.destroy(); // SIGTERM: the launcher stops the client, which writes the archive
            assertThat(p.waitFor(WAIT.toSeconds() * 3, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(WAIT.toSeconds()));
        }
        for (String l; (l = lines.poll()) != null; ) {
            seen.add(l);
        }
        assertThat(leftOver()).as("no temporary archive or marker left").isEmpty();
        return seen;
    }

    private Process start(List<String> jvmFlags, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djpb.thin.cds.dir=" + archives);
        for (String p : List.of("glass.platform", "monocle.platform", "prism.order",
                "java.awt.headless", "headless.geometry")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static Thread reader(InputStream in, LinkedBlockingQueue<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the client is gone
            }
            lines.add("<end>");
        }, "jar-launcher-test-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private List<Path> jsaFiles() throws IOException {
        return files().stream().filter(f -> f.getFileName().toString().endsWith(".jsa"))
                .toList();
    }

    private List<Path> leftOver() throws IOException {
        return files().stream().filter(f -> !f.getFileName().toString().endsWith(".jsa"))
                .toList();
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(archives)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(archives)) {
            return s.toList();
        }
    }

    /**
     * A jar like {@code pb-thin-client.jar} for this test (the shaded jar is built after the
     * tests): {@link JarLauncher} its main class, the class folders of the test's class path
     * (pb-thin's own classes among them; CDS archives no class from a folder) copied into it,
     * and the class path's jars in its manifest.
     */
    private static Path launcherJar(Path file) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JarLauncher.class.getName());
        StringBuilder cp = new StringBuilder();
        List<Path> folders = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                if (!p.getFileName().toString().equals("test-classes")) {
                    folders.add(p);
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                cp.append(cp.length() == 0 ? "" : " ").append(p.toUri());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString());
        java.util.Set<String> added = new java.util.HashSet<>();
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, m)) {
            for (Path folder : folders) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(folder)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    String name = folder.relativize(f).toString().replace(File.separatorChar, '/');
                    if (name.equals("META-INF/MANIFEST.MF") || !added.add(name)) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(name));
                    Files.copy(f, jar);
                    jar.closeEntry();
                }
            }
        }
        assertThat(added).contains(JarLauncher.class.getName().replace('.', '/') + ".class");
        return file;
    }
}
