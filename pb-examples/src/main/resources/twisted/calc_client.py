"""A Python PB client of the jpb TwistedServerDemo: calls a Java root, hands it a callback.

Usage: python3 calc_client.py PORT
"""
import sys

from twisted.internet import defer, reactor
from twisted.spread import pb


class Watcher(pb.Referenceable):
    def remote_progress(self, percent):
        print("python: progress %d%%" % percent, flush=True)


@defer.inlineCallbacks
def main(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    print("python: add(2, 3) =", (yield root.callRemote("add", 2, 3)), flush=True)
    total = yield root.callRemote("sum", [1, 2, 3, 4], Watcher())
    print("python: sum([1, 2, 3, 4]) =", total, flush=True)
    try:
        yield root.callRemote("divide", 1, 0)
    except pb.RemoteError as e:
        print("python: divide(1, 0) failed:", e.remoteType.decode(), "-", e, flush=True)
    reactor.stop()


if __name__ == "__main__":
    main(int(sys.argv[1])).addErrback(lambda f: (print(f), reactor.stop()))
    reactor.run()
