"""W1 over Twisted PB, the Python server: remote_add, and remote_cpu (its CPU seconds so far).
Prints "PORT n" once listening."""
import time

from twisted.internet import reactor
from twisted.spread import pb


class Root(pb.Root):
    def remote_add(self, a, b):
        return a + b

    def remote_cpu(self):
        return time.process_time()


if __name__ == "__main__":
    port = reactor.listenTCP(0, pb.PBServerFactory(Root()), interface="127.0.0.1")
    print("PORT", port.getHost().port, flush=True)
    reactor.run()
