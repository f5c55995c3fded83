package dev.jpb.internal.thin;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code jpb-bundle:} URL scheme: {@code jpb-bundle://b7/img/logo.png} is the file
 * {@code img/logo.png} of registered bundle 7. FXML, CSS and images resolve relative references
 * against such URLs, so a pushed UI reads only what its bundle carries. A path that is not in
 * the bundle is remembered as missing, which is how a bundle referring to a file it lacks is
 * refused even where JavaFX itself would only log (images, stylesheets, fonts).
 */
final class BundleUrls {
    static final String SCHEME = "jpb-bundle";
    static final URLStreamHandler HANDLER = new Handler();

    private static final Map<String, Files> BUNDLES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    private BundleUrls() {
    }

    /** A registered bundle's files and the paths asked for that it does not have. */
    static final class Files {
        final String host;
        final Map<String, byte[]> files;
        final Set<String> missing = ConcurrentHashMap.newKeySet();

        private Files(String host, Map<String, byte[]> files) {
            this.host = host;
            this.files = Map.copyOf(files);
        }

        /** Returns the URL of a path of this bundle. */
        URL url(String path) {
            try {
                return new URL(null, SCHEME + "://" + host + "/" + path, HANDLER);
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad bundle path " + path, e);
            }
        }

        /** Stops serving this bundle's files. */
        void unregister() {
            BUNDLES.remove(host, this);
        }
    }

    static Files register(Map<String, byte[]> files) {
        Files f = new Files("b" + NEXT.incrementAndGet(), files);
        BUNDLES.put(f.host, f);
        return f;
    }

    static int registeredCount() {
        return BUNDLES.size();
    }

    private static final class Handler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL u) throws IOException {
            Files f = BUNDLES.get(u.getHost());
            if (f == null) {
                throw new FileNotFoundException(u + ": that bundle was replaced or closed");
            }
            String path = URLDecoder.decode(u.getPath(), StandardCharsets.UTF_8);
            path = path.startsWith("/") ? path.substring(1) : path;
            byte[] bytes = f.files.get(path);
            if (bytes == null) {
                // JavaFX probes for a compiled .bss next to every .css; that is not a miss.
                if (!path.endsWith(".bss")) {
                    f.missing.add(path);
                }
                throw new FileNotFoundException(u + ": " + path + " is not in the bundle");
            }
            return new BytesConnection(u, bytes);
        }
    }

    private static final class BytesConnection extends URLConnection {
        private final byte[] bytes;

        BytesConnection(URL url, byte[] bytes) {
            super(url);
            this.bytes = bytes;
        }

        @Override
        public void connect() {
            connected = true;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
            return bytes.length;
        }

        @Override
        public String getContentType() {
            return guessContentTypeFromName(url.getPath());
        }
    }
}
