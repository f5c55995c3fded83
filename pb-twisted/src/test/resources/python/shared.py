"""Copy types both ends agree on: shared.Point is registered on the Java side too."""
from twisted.spread import pb


class Point(pb.Copyable, pb.RemoteCopy):
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


pb.setUnjellyableForClass(Point, Point)


class Secret(pb.Copyable):
    """Never registered in Java: a copy of it must be refused there."""

    def __init__(self):
        self.key = "k"


class NameTaken(pb.Error):
    """A pb.Error subclass: Java maps it with registerError("shared.NameTaken", ...)."""
