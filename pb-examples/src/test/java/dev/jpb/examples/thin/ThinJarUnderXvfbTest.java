package dev.jpb.examples.thin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.server.PbServer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real thing: {@code pb-thin-client.jar} in its own JVM, on a real X server (Xvfb through
 * Debian's {@code xvfb-run}) with JavaFX's GTK glass, against the example server; the jar
 * saves a screen capture of its first pushed window ({@code -Djpb.thin.screenshot}). Skipped
 * without xvfb-run or the jar (build pb-thin first), except under {@code CI=true}, where
 * {@code .ci/run} installs it.
 */
@Timeout(240)
class ThinJarUnderXvfbTest {
    private static final Path JAR = Path.of("..", "pb-thin", "target", "pb-thin-client.jar");

    @Test
    void theJarOpensARealWindowWithThePushedFormAndCapturesIt() throws Exception {
        String xvfbRun = require(find("xvfb-run"), "xvfb-run is not installed (Debian: apt-get"
                + " install xvfb xauth libgtk-3-0)");
        require(Files.isRegularFile(JAR) ? JAR.toString() : null, JAR + " is not built (mvn -B"
                + " -pl pb-thin package)");
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path shot = dir.resolve("thin-jar-xvfb.png");
        Files.deleteIfExists(shot);
        Path log = dir.resolve("thin-jar-xvfb.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (PbServer server = ThinServer.start("127.0.0.1", 0, ThinServer.Mode.SERVER)) {
            Process p = new ProcessBuilder(xvfbRun, "-a", "-s", "-screen 0 1280x800x24", java,
                    "-Djpb.thin.screenshot=" + shot.toAbsolutePath(),
                    // the jar's CDS archive (JarLauncher) here, not in the user's cache
                    "-Djpb.thin.cds.dir=" + dir.resolve("thin-jar-cds").toAbsolutePath(),
                    "-jar", JAR.toString(),
                    "127.0.0.1", String.valueOf(server.port()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !p.isAlive() || read(log).contains("screenshot of"));
                assertThat(read(log)).as("the client's output (%s)", log)
                        .contains("jpb-thin: first window (contact) shown")
                        .contains("screenshot of \"Contact book\" saved");
            } finally {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(460);
        assertThat(image.getHeight()).isEqualTo(470);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("a drawn form, not a blank window").hasSizeGreaterThan(20);
    }

    private static String read(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String find(String exe) {
        for (String d : List.of(System.getenv().getOrDefault("PATH", "").split(":"))) {
            File f = new File(d, exe);
            if (!d.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static String require(String found, String why) {
        if (found == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + "; .ci/run must provide it");
            }
            Assumptions.abort(why);
        }
        return found;
    }
}
