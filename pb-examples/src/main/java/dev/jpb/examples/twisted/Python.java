package dev.jpb.examples.twisted;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Starts one of the Python scripts shipped in this jar's resources, with Twisted. */
final class Python {
    private Python() {
    }

    /** Returns a python3 that imports twisted (/usr/bin/python3 first, Debian's). */
    static String interpreter() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import twisted")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("no python3 with Twisted: apt-get install python3-twisted");
    }

    /** Copies {@code twisted/<script>} out of the jar and starts it with {@code args}. */
    static Process start(String script, String... args) {
        try {
            Path dir = Files.createTempDirectory("jpb-twisted-example");
            Path file = dir.resolve(script);
            try (InputStream in = Python.class.getResourceAsStream("/twisted/" + script)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            List<String> command = new ArrayList<>(List.of(interpreter(), "-u", file.toString()));
            command.addAll(List.of(args));
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a reader of the process's standard output. */
    static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
    }
}
