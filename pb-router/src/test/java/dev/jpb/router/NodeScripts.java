package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Autobahn|JS scripts of src/test/resources/wamp with Node. The build installs the
 * autobahn npm package under target/node; a missing node or package fails the test.
 */
final class NodeScripts {
    private NodeScripts() {
    }

    /** Runs a script to completion and asserts it said OK; returns its output. */
    static String run(String script, String... args) throws Exception {
        Path dir = scriptsDir();
        String modules = System.getProperty("jpb.router.nodeModules",
                Path.of("target", "node", "node_modules").toAbsolutePath().toString());
        assertThat(Path.of(modules, "autobahn")).as("the autobahn npm package (mvn installs it in"
                + " generate-test-resources)").isDirectory();
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        int major = nodeMajor();
        if (major == 20 || major == 21) {
            cmd.add("--experimental-websocket"); // 22+ has it built in, 18 uses the ws package
        }
        cmd.add(dir.resolve(script).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules);
        pb.environment().put("NODE_NO_WARNINGS", "1");
        Path out = Files.createTempFile("autobahn-" + script, ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        assertThat(done).as("node %s finished within 60 s; output:%n%s", script, output).isTrue();
        assertThat(p.exitValue()).as("node %s exit code; output:%n%s", script, output)
                .isZero();
        assertThat(output).contains("OK ");
        return output;
    }

    private static int nodeMajor() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(v).as("node --version").matches("v\\d+\\..*");
        return Integer.parseInt(v.substring(1, v.indexOf('.')));
    }

    private static Path scriptsDir() throws URISyntaxException {
        return new File(NodeScripts.class.getResource("/wamp/common.js").toURI()).toPath()
                .getParent();
    }
}
