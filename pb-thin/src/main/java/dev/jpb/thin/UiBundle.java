package dev.jpb.thin;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a pushed UI: an FXML document, the resources it refers to (stylesheets,
 * images, fonts, {@code fx:include}d documents, all by path inside the bundle) and, for a
 * pushed controller, the controller's classes. The client resolves every relative reference
 * ({@code @logo.png}, {@code source="header.fxml"}, {@code url(font.ttf)} in CSS) from the
 * bundle, never from its own disk. Immutable once built.
 *
 * <pre>{@code
 * UiBundle form = UiBundle.builder()
 *         .classpath(FormServer.class, "form.fxml", "form.css", "logo.png")
 *         .document("form.fxml")
 *         .stylesheet("form.css")
 *         .build();                                  // server-side controller: no classes
 * UiBundle coded = UiBundle.builder().classpath(...).document("form.fxml")
 *         .controllerClass(FormController.class)     // pushed code: the client must trust us
 *         .build();
 * }</pre>
 *
 * @param document the path of the main FXML document among {@code resources}
 * @param resources every file of the bundle by path ({@code "form.fxml"}, {@code "img/a.png"})
 * @param stylesheets paths among {@code resources} applied to the window's scene, in order
 * @param classes the pushed classes' bytes by binary name ({@code "com.acme.Form$1"}); empty
 *     for a server-side controller
 * @param classesSha256 {@link #digest(Map)} of {@code classes}, which the client checks
 */
public record UiBundle(String document, Map<String, byte[]> resources, List<String> stylesheets,
        Map<String, byte[]> classes, String classesSha256) implements Copyable {
    /**
     * Copies the collections; a received bundle is checked by the client, not here.
     *
     * @param document the path of the main FXML document among {@code resources}
     * @param resources every file of the bundle by path; null means none
     * @param stylesheets paths among {@code resources} applied to the scene; null means none
     * @param classes the pushed classes' bytes by binary name; null means none
     * @param classesSha256 {@link #digest(Map)} of {@code classes}
     */
    public UiBundle {
        requireNonNull(document, "document");
        resources = resources == null ? Map.of() : Map.copyOf(resources);
        stylesheets = stylesheets == null ? List.of() : List.copyOf(stylesheets);
        classes = classes == null ? Map.of() : Map.copyOf(classes);
        requireNonNull(classesSha256, "classesSha256");
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether this bundle carries code (and so needs a client that trusts the server)} */
    public boolean hasCode() {
        return !classes.isEmpty();
    }

    /**
     * The SHA-256 of a bundle's classes, as lowercase hex: over the classes sorted by name, for
     * each its name in UTF-8, a zero byte, its length as 4 bytes big-endian and its bytes. The
     * digest of no classes is that of the empty input.
     *
     * @param classes class file bytes by binary name
     * @return the digest, 64 lowercase hex digits
     */
    public static String digest(Map<String, byte[]> classes) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(ByteBuffer.allocate(4).putInt(e.getValue().length).array());
            sha.update(e.getValue());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public String toString() {
        return "UiBundle[" + document + ", " + resources.size() + " resources, "
                + classes.size() + " classes]";
    }

    /** Collects a bundle's parts; not thread-safe. */
    public static final class Builder {
        private final Map<String, byte[]> resources = new LinkedHashMap<>();
        private final List<String> stylesheets = new ArrayList<>();
        private final Map<String, byte[]> classes = new LinkedHashMap<>();
        private String document;

        private Builder() {
        }

        /**
         * Adds a file to the bundle under this path (relative, with {@code /} separators).
         *
         * @param path the file's path inside the bundle, e.g. {@code img/logo.png}
         * @param bytes the file's content; copied
         * @return this builder
         * @throws IllegalArgumentException if the path is empty, absolute or contains {@code ..}
         */
        public Builder resource(String path, byte[] bytes) {
            requireNonNull(path, "path");
            requireNonNull(bytes, "bytes");
            checkArgument(!path.isEmpty() && !path.startsWith("/") && !path.contains(".."),
                    "path: %s (expected: relative, without ..)", path);
            resources.put(path, bytes.clone());
            return this;
        }

        /**
         * Adds a text file (UTF-8) to the bundle under this path.
         *
         * @param path the file's path inside the bundle, e.g. {@code form.css}
         * @param text the file's content
         * @return this builder
         * @throws IllegalArgumentException if the path is empty, absolute or contains {@code ..}
         */
        public Builder resource(String path, String text) {
            return resource(path, text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Adds files read from the classpath next to {@code anchor} (as
         * {@code anchor.getResourceAsStream(name)}), each under its own name.
         *
         * @param anchor the class the names are resolved against
         * @param names the resource names, which are also their bundle paths
         * @return this builder
         * @throws IllegalArgumentException if one is not on the classpath
         */
        public Builder classpath(Class<?> anchor, String... names) {
            for (String name : names) {
                resource(name, read(anchor, name));
            }
            return this;
        }

        /**
         * Sets the main FXML document and adds it under {@code path}.
         *
         * @param path the document's path inside the bundle
         * @param fxml the document's text
         * @return this builder
         */
        public Builder document(String path, String fxml) {
            resource(path, fxml);
            this.document = path;
            return this;
        }

        /**
         * Sets the main FXML document to a path already added.
         *
         * @param path the document's path inside the bundle
         * @return this builder
         */
        public Builder document(String path) {
            this.document = requireNonNull(path, "path");
            return this;
        }

        /**
         * Applies the stylesheet at this bundle path to the window's scene.
         *
         * @param path the stylesheet's path inside the bundle; stylesheets apply in call order
         * @return this builder
         */
        public Builder stylesheet(String path) {
            stylesheets.add(requireNonNull(path, "path"));
            return this;
        }

        /**
         * Pushes this class as code, with its nested and anonymous classes (read as class files
         * from the class's own class loader, not instantiated here). Use it for the
         * {@code fx:controller} and for every helper class the controller needs that the thin
         * runtime (jpb and JavaFX) does not have.
         *
         * @param type the class to push
         * @return this builder
         * @throws IllegalArgumentException if its class file cannot be read
         */
        public Builder controllerClass(Class<?> type) {
            requireNonNull(type, "type");
            String simple = type.getName().substring(type.getName().lastIndexOf('.') + 1);
            classes.put(type.getName(), read(type, simple + ".class"));
            for (Class<?> nested : type.getDeclaredClasses()) {
                controllerClass(nested);
            }
            // Anonymous classes are not listed by reflection; their files are numbered.
            for (int i = 1; ; i++) {
                InputStream in = type.getResourceAsStream(simple + "$" + i + ".class");
                if (in == null) {
                    break;
                }
                classes.put(type.getName() + "$" + i, readAll(in, simple + "$" + i));
            }
            return this;
        }

        /**
         * Pushes a class given as its bytes, under its binary name.
         *
         * @param binaryName the class's binary name, e.g. {@code com.acme.Form$1}
         * @param bytes the class file; copied
         * @return this builder
         */
        public Builder classBytes(String binaryName, byte[] bytes) {
            requireNonNull(binaryName, "binaryName");
            classes.put(binaryName, requireNonNull(bytes, "bytes").clone());
            return this;
        }

        /**
         * Builds the bundle and computes its classes' digest.
         *
         * @return the bundle
         * @throws IllegalStateException if no document was set or it is not among the resources
         */
        public UiBundle build() {
            checkState(document != null, "document: not set (expected: document(path))");
            checkState(resources.containsKey(document),
                    "document %s is not in the bundle (expected: one of %s)", document,
                    resources.keySet());
            return new UiBundle(document, resources, stylesheets, classes, digest(classes));
        }

        private static byte[] read(Class<?> anchor, String name) {
            InputStream in = anchor.getResourceAsStream(name);
            checkArgument(in != null, "%s is not on the classpath next to %s", name,
                    anchor.getName());
            return readAll(in, name);
        }

        private static byte[] readAll(InputStream in, String name) {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }
    }
}
