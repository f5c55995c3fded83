"""Captures real Twisted PB traffic (Twisted 22.4) as seeds for pb-fuzz's Twisted targets.

A Python PBClientFactory talks to a Python PBServerFactory on loopback: calls with every value
kind, a copy, a callback object, an error, a decref. Every expression the client writes is one
Banana write; they are saved as:

  <out>/dev/jpb/internal/twisted/TwistedFuzzTestInputs/bananaAndJelly/valid-<n>-<what>
      one expression each (the Jelly target unjellies the values inside it)
  <out>/dev/jpb/internal/twisted/TwistedFuzzTestInputs/brokerAfterDialect/valid-session
      the client's whole stream after its dialect choice

Run from pb-fuzz: /usr/bin/python3 src/test/python/capture_twisted.py src/test/resources
"""
import os
import sys

from twisted.internet import defer, reactor
from twisted.spread import pb


class Point(pb.Copyable, pb.RemoteCopy):
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y


Point.__module__ = "shared"
pb.setUnjellyableForClass("shared.Point", Point)

WRITES = []  # (label, bytes) of the client's writes, in order
LABEL = ["dialect"]


class _Tap:
    def __init__(self, transport):
        self.transport = transport

    def write(self, data):
        WRITES.append((LABEL[0], data))
        self.transport.write(data)

    def __getattr__(self, name):
        return getattr(self.transport, name)


class TapBroker(pb.Broker):
    def makeConnection(self, transport):
        if self.isClient:
            transport = _Tap(transport)
        pb.Broker.makeConnection(self, transport)


class Callback(pb.Referenceable):
    def remote_ping(self, n):
        return n + 1


class Root(pb.Root):
    def remote_echo(self, *args, **kw):
        return [args, kw]

    def remote_add(self, a, b):
        return a + b

    def remote_fail(self):
        raise ValueError("bad")

    def remote_callMe(self, cb):
        return cb.callRemote("ping", 41)


@defer.inlineCallbacks
def main(out):
    server = pb.PBServerFactory(Root())
    port = reactor.listenTCP(0, server, interface="127.0.0.1")
    client = pb.PBClientFactory()
    client.protocol = TapBroker
    reactor.connectTCP("127.0.0.1", port.getHost().port, client)
    root = yield client.getRootObject()
    shared = [1, 2]
    cyclic = []
    cyclic.append(cyclic)
    calls = [
        ("add", ("add", 1, 2), {}),
        ("scalars", ("echo", None, True, False, -7, 2**31, -(2**40), 2**100, 1.5, "h\u00e9",
                     b"raw"), {}),
        ("containers", ("echo", [1, [2, [3]]], (4, "five"), {"k": 1, 2: None},
                        {1, 2}), {}),
        ("shared", ("echo", [shared, shared, {"s": shared}]), {}),
        ("cyclic", ("echo", cyclic), {}),
        ("copy", ("echo", Point(3, 4)), {}),
        ("keywords", ("echo", 1), {"flag": True, "name": "x"}),
        ("callback", ("callMe", Callback()), {}),
        ("fail", ("fail",), {}),
    ]
    for label, args, kw in calls:
        LABEL[0] = label
        try:
            yield root.callRemote(*args, **kw)
        except Exception:
            pass
    LABEL[0] = "decref"
    client.disconnect()
    reactor.callLater(0.2, reactor.stop)
    save(out)


def save(out):
    base = os.path.join(out, "dev", "jpb", "internal", "twisted", "TwistedFuzzTestInputs")
    one = os.path.join(base, "bananaAndJelly")
    whole = os.path.join(base, "brokerAfterDialect")
    os.makedirs(one, exist_ok=True)
    os.makedirs(whole, exist_ok=True)
    # The first write is the dialect choice; the session seed is what follows it.
    stream = b"".join(data for _, data in WRITES[1:])
    with open(os.path.join(whole, "valid-session"), "wb") as f:
        f.write(stream)
    for i, (label, data) in enumerate(WRITES):
        with open(os.path.join(one, "valid-%02d-%s" % (i, label)), "wb") as f:
            f.write(data)


main(sys.argv[1])
reactor.run()
