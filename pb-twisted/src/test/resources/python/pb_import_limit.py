"""A Python PB client that hands a jpb server more references than it may hold.

Usage: python3 pb_import_limit.py PORT COUNT
Sends COUNT fresh pb.Referenceable listeners to root.keep, printing "KEPT n" or
"REFUSED type message" for each and "HELD n" (how many of its objects Python still counts as
held by jpb); then asks jpb to release one and sends one more. Ends with "DONE".
"""
import sys

from twisted.internet import defer, reactor, task
from twisted.spread import pb


def say(*parts):
    print(*parts, flush=True)


class Listener(pb.Referenceable):
    def remote_ping(self):
        return "pong"


@defer.inlineCallbacks
def keep(root):
    try:
        n = yield root.callRemote("keep", Listener())
        say("KEPT", n)
    except pb.RemoteError as e:
        say("REFUSED", e.remoteType.decode(), str(e).replace("\n", " "))


@defer.inlineCallbacks
def run(port, count):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    broker = factory._broker
    for _ in range(count):
        yield keep(root)
    yield root.callRemote("ping")  # any decref jpb sent has arrived before this answer
    say("HELD", len(broker.localObjects))
    yield root.callRemote("releaseOne")
    yield task.deferLater(reactor, 0.2, lambda: None)
    yield root.callRemote("ping")
    say("HELD", len(broker.localObjects))
    yield keep(root)
    say("DONE")
    reactor.stop()


def fail(f):
    say("ERROR", f.getTraceback().replace("\n", " | "))
    reactor.stop()


if __name__ == "__main__":
    run(int(sys.argv[1]), int(sys.argv[2])).addErrback(fail)
    reactor.run()
