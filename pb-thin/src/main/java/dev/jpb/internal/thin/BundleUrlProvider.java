package dev.jpb.internal.thin;

import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;

/**
 * Makes {@code new URL("jpb-bundle://...")} work anywhere in the JVM (JavaFX builds image,
 * stylesheet and font URLs from strings). Found by {@link java.util.ServiceLoader}; not API.
 */
public final class BundleUrlProvider extends URLStreamHandlerProvider {
    /** Called by the service loader. */
    public BundleUrlProvider() {
    }

    @Override
    public URLStreamHandler createURLStreamHandler(String protocol) {
        return BundleUrls.SCHEME.equals(protocol) ? BundleUrls.HANDLER : null;
    }
}
