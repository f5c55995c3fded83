"""A Twisted PB client logging in to a jpb TwistedPbServer with allowMd5Login.

Usage: python3 pb_cred_client.py PORT   (prints one line per step, then DONE)
"""
import sys

from twisted.cred import credentials, error
from twisted.internet import defer, reactor
from twisted.spread import pb


def say(*parts):
    print(*parts, flush=True)


class Mind(pb.Referenceable):
    def remote_told(self, value):
        return "mind heard " + value


@defer.inlineCallbacks
def login(port, user, password):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    try:
        perspective = yield factory.login(credentials.UsernamePassword(user, password), Mind())
        return factory, perspective
    except Exception:
        factory.disconnect()
        raise


@defer.inlineCallbacks
def run(port):
    factory, perspective = yield login(port, b"alice", b"secret")
    say("WHOAMI", (yield perspective.callRemote("whoami")))
    say("MIND", (yield perspective.callRemote("callMind", "hi")))
    factory.disconnect()
    try:
        yield login(port, b"alice", b"wrong")
        say("WRONG", "logged in?!")
    except error.UnauthorizedLogin as e:
        say("WRONG", "UnauthorizedLogin")
    except pb.RemoteError as e:
        say("WRONG", e.remoteType.decode())
    say("DONE")
    reactor.stop()


if __name__ == "__main__":
    def fail(f):
        say("ERROR", f.getTraceback().replace("\n", " | "))
        reactor.stop()
    run(int(sys.argv[1])).addErrback(fail)
    reactor.run()
