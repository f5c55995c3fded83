"""Prints every Banana expression a real PB client and server exchange for one call,
as "C>" (client to server) or "S>" (server to client), its hex and its s-expression.
Used for docs/twisted-wire.md's worked example.
"""
from twisted.internet import defer, reactor
from twisted.spread import pb


class _Tap:
    def __init__(self, transport, tag):
        self.transport = transport
        self.tag = tag

    def write(self, data):
        print(self.tag, data.hex(" "), flush=True)
        self.transport.write(data)

    def __getattr__(self, name):
        return getattr(self.transport, name)


class TapBroker(pb.Broker):
    def makeConnection(self, transport):
        pb.Broker.makeConnection(self, _Tap(transport, "C>" if self.isClient else "S>"))

    def expressionReceived(self, sexp):
        print("   ", "got", sexp, flush=True)
        pb.Broker.expressionReceived(self, sexp)


class Root(pb.Root):
    def remote_add(self, a, b):
        return a + b

    def remote_fail(self):
        raise ValueError("bad")


@defer.inlineCallbacks
def main():
    server = pb.PBServerFactory(Root())
    server.protocol = TapBroker
    port = reactor.listenTCP(0, server, interface="127.0.0.1")
    client = pb.PBClientFactory()
    client.protocol = TapBroker
    reactor.connectTCP("127.0.0.1", port.getHost().port, client)
    root = yield client.getRootObject()
    yield root.callRemote("add", 1, 2)
    try:
        yield root.callRemote("fail")
    except Exception:
        pass
    reactor.stop()


main()
reactor.run()
