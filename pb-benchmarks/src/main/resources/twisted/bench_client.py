"""W1 over Twisted PB, the Python client: sequential add(20, 22) calls, each awaited before
the next, for SECONDS after WARMUP seconds; prints "CALLS_PER_SECOND x" and
"CPU_US_PER_CALL y" (CPU time of this client and of the server, together, per call).

Usage: python3 bench_client.py PORT [SECONDS] [WARMUP]
"""
import sys
import time

from twisted.internet import defer, reactor
from twisted.spread import pb


@defer.inlineCallbacks
def main(port, seconds, warmup):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        yield root.callRemote("add", 20, 22)
    calls = 0
    server_cpu = yield root.callRemote("cpu")
    cpu = time.process_time()
    start = time.perf_counter()
    end = start + seconds
    while time.perf_counter() < end:
        result = yield root.callRemote("add", 20, 22)
        assert result == 42
        calls += 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    server_cpu = (yield root.callRemote("cpu")) - server_cpu
    print("CALLS_PER_SECOND %.0f" % (calls / wall), flush=True)
    print("CPU_US_PER_CALL %.1f" % ((cpu + server_cpu) * 1e6 / calls), flush=True)
    reactor.stop()


if __name__ == "__main__":
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    main(int(sys.argv[1]), seconds, warmup).addErrback(lambda f: (print(f), reactor.stop()))
    reactor.run()
