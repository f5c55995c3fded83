package dev.jpb.thin;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.robot.Robot;
import javafx.stage.Window;

/**
 * Saves what the screen shows of a window as a PNG: a capture of the display (a real X server,
 * or Xvfb), not a re-rendering of the scene. The jar does it for its first pushed window when
 * started with {@code -Djpb.thin.screenshot=FILE} (CI's check that a real window opens).
 * Runs on the JavaFX Application Thread.
 */
final class WindowCapture {
    private WindowCapture() {
    }

    /** A saved capture: the window's title and how many colours it has (1 = not drawn). */
    record Shot(String title, int colours) {
    }

    /** Captures the first showing window into {@code file}. */
    static Shot saveFirstWindow(Path file) throws IOException {
        Window w = Window.getWindows().stream().filter(Window::isShowing).findFirst()
                .orElseThrow(() -> new IOException("no window is showing"));
        WritableImage image = new Robot().getScreenCapture(null, w.getX(), w.getY(),
                w.getWidth(), w.getHeight());
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = image.getPixelReader();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = px.getArgb(x, y);
                out.setRGB(x, y, argb);
                if (colours.size() < 1000) {
                    colours.add(argb);
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!javax.imageio.ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return new Shot(w instanceof javafx.stage.Stage s ? s.getTitle() : w.toString(),
                colours.size());
    }
}
