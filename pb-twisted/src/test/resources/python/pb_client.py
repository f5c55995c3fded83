"""A Python PB client for pb-twisted's tests: calls a jpb TwistedPbServer, one line per result.

Usage: python3 pb_client.py PORT    (prints "name repr" lines, then "DONE")
"""
import gc
import sys

from twisted.internet import defer, reactor
from twisted.spread import pb

import shared


def say(*parts):
    print(*parts, flush=True)


class Listener(pb.Referenceable):
    def remote_ping(self, text):
        say("PINGED", repr(text))
        return text.upper()


@defer.inlineCallbacks
def run(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    values = [None, True, False, 7, -3, 2 ** 40, 2 ** 100, 1.25, "h\u00e9llo", b"\x00\xff",
              [1, "a"], (2, 3), {"k": [1, 2]}, {}]
    for v in values:
        back = yield root.callRemote("echo", v)
        say("ECHO", repr(v), repr(back))
    kinds = yield root.callRemote("kinds")
    say("KINDS", repr(sorted(kinds.items())))
    say("ADD", (yield root.callRemote("add", 40, 2)))
    moved = yield root.callRemote("move", shared.Point(3, 4))
    say("MOVE", type(moved).__name__, moved.x, moved.y)
    say("PING", (yield root.callRemote("notify", Listener(), "hey")))
    other = yield root.callRemote("counter")
    say("COUNT", (yield other.callRemote("increment")), (yield other.callRemote("increment")))
    say("SAME", (yield root.callRemote("same", other)))
    before = yield root.callRemote("exports")
    del other
    gc.collect()
    say("EXPORTS", before, (yield root.callRemote("exports")))
    for kind in ("state", "pberror", "nosuch"):
        try:
            yield root.callRemote("fail", kind) if kind != "nosuch" else root.callRemote("nope")
            say("FAIL", kind, "no error")
        except pb.RemoteError as e:
            t = e.remoteType.decode() if isinstance(e.remoteType, bytes) else e.remoteType
            say("FAIL", kind, t, str(e))
    try:
        yield root.callRemote("move", shared.Secret())
    except pb.RemoteError as e:
        say("SECRET", e.remoteType.decode(), "registerCopy" in str(e))
    say("KW", (yield root.callRemote("greet", "ann", punctuation="!")))
    try:
        yield root.callRemote("add", 1, b=2)
    except pb.RemoteError as e:
        say("KWREFUSED", e.remoteType.decode(), "keyword" in str(e))
    root.callRemote("oneway", "fire", pbanswer=0)
    say("LAST", (yield root.callRemote("last")))
    say("DONE")
    reactor.stop()


def fail(f):
    say("ERROR", f.getTraceback().replace("\n", " | "))
    reactor.stop()


if __name__ == "__main__":
    run(int(sys.argv[1])).addErrback(fail)
    reactor.run()
