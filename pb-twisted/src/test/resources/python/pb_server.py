"""A Python PB server for pb-twisted's tests: prints "PORT n", then one line per event.

Usage: python3 pb_server.py [--cred]
"""
import sys

from twisted.cred import checkers, portal
from twisted.internet import defer, reactor
from twisted.spread import pb
from zope.interface import implementer

import shared


def say(*parts):
    print(*parts, flush=True)


class Broker(pb.Broker):
    def proto_decref(self, objectID):
        say("DECREF", objectID)
        pb.Broker.proto_decref(self, objectID)


class Counter(pb.Referenceable):
    def __init__(self):
        self.n = 0

    def remote_increment(self):
        self.n += 1
        return self.n


class Root(pb.Root):
    def __init__(self):
        self.last = None

    def remote_echo(self, value):
        return value

    def remote_add(self, a, b):
        return a + b

    def remote_kinds(self):
        return {
            "none": None, "true": True, "false": False, "int": 42, "neg": -7,
            "long": 2 ** 40, "big": 2 ** 100, "float": 2.5, "str": "h\u00e9llo",
            "bytes": b"\x00\xff", "list": [1, "two"], "tuple": (3, 4),
            "dict": {"k": [1]}, "empty": [],
        }

    def remote_types(self, value):
        return type(value).__name__

    def remote_shared(self):
        inner = [1, 2]
        cyclic = []
        cyclic.append(cyclic)
        return [inner, inner, cyclic]

    def remote_fail(self, kind):
        if kind == "value":
            raise ValueError("bad value")
        if kind == "pberror":
            raise shared.NameTaken("alice is taken")
        if kind == "key":
            raise KeyError("missing")
        return "no failure"

    def remote_move(self, point):
        return shared.Point(point.x + 1, point.y * 2)

    def remote_secret(self):
        return shared.Secret()

    @defer.inlineCallbacks
    def remote_callBack(self, ref, value):
        result = yield ref.callRemote("hello", value)
        defer.returnValue(result)

    @defer.inlineCallbacks
    def remote_callBackFailing(self, ref):
        try:
            yield ref.callRemote("explode")
        except pb.RemoteError as e:
            kind = e.remoteType
            return [kind.decode() if isinstance(kind, bytes) else kind, str(e)]
        return "no error"

    def remote_oneway(self, value):
        self.last = value
        say("ONEWAY", repr(value))

    def remote_last(self):
        return self.last

    def remote_counter(self):
        return Counter()

    def remote_greet(self, name, punctuation="."):
        return "hello " + name + punctuation

    def remote_isSame(self, a, b):
        return a is b


class Avatar(pb.Avatar):
    def __init__(self, name, mind):
        self.name = name
        self.mind = mind

    def perspective_whoami(self):
        return self.name

    @defer.inlineCallbacks
    def perspective_callMind(self, value):
        answer = yield self.mind.callRemote("told", value)
        return answer


@implementer(portal.IRealm)
class Realm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        assert pb.IPerspective in interfaces
        avatar = Avatar(avatarId.decode() if isinstance(avatarId, bytes) else avatarId, mind)
        return pb.IPerspective, avatar, lambda: None


def main():
    if "--cred" in sys.argv:
        db = checkers.InMemoryUsernamePasswordDatabaseDontUse()
        db.addUser(b"alice", b"secret")
        root = portal.Portal(Realm(), [db])
    else:
        root = Root()
    factory = pb.PBServerFactory(root)
    factory.protocol = Broker
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    say("PORT", port.getHost().port)
    reactor.run()


if __name__ == "__main__":
    main()
