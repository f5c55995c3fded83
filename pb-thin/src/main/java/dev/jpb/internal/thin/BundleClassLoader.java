package dev.jpb.internal.thin;

import java.net.URL;
import java.util.Map;

/**
 * The class loader of one pushed bundle: defines the bundle's classes (child first, so a
 * bundle class shadows any class of the same name around it) and serves its resources from the
 * bundle; everything else (jpb, JavaFX, the JDK) comes from the thin runtime. A new bundle gets
 * a new loader; the old one goes with the old bundle's objects.
 */
final class BundleClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;
    private final BundleUrls.Files files;

    BundleClassLoader(String name, Map<String, byte[]> classes, BundleUrls.Files files,
            ClassLoader parent) {
        super(name, parent);
        this.classes = Map.copyOf(classes);
        this.files = files;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!classes.containsKey(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is neither in the pushed bundle nor in the"
                    + " thin runtime; add it with UiBundle.builder().controllerClass(...)");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    protected URL findResource(String name) {
        return files.files.containsKey(name) ? files.url(name) : null;
    }
}
