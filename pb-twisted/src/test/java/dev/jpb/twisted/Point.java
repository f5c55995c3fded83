package dev.jpb.twisted;

/** The Java side of shared.Point. */
public record Point(int x, int y) {
}
