"""Prints Twisted's own Banana and Jelly bytes for the cases pb-twisted's codec tests check.

Run: python3 capture.py   (one line per case: name, then the hex of the bytes)
"""
import sys

from twisted.spread import banana, jelly, pb


class _Sink:
    def __init__(self):
        self.data = b""

    def write(self, b):
        self.data += b


def pb_banana():
    b = banana.Banana(isClient=1)
    b.connectionMade()
    b._selectDialect(b"pb")
    return b


def enc_none(obj):
    return banana.encode(obj)


def enc_pb(obj):
    b = pb_banana()
    b.transport = _Sink()
    b.sendEncoded(obj)
    return b.transport.data


class Point(pb.Copyable):
    def __init__(self, x, y):
        self.x = x
        self.y = y


Point.__module__ = "shared"


def jel(obj):
    broker = pb.Broker(isClient=1)
    return broker.serialize(obj)


def main():
    shared = [1, 2]
    cyclic = []
    cyclic.append(cyclic)
    cases = [
        ("int0", enc_none(0)),
        ("int1", enc_none(1)),
        ("int127", enc_none(127)),
        ("int128", enc_none(128)),
        ("int300", enc_none(300)),
        ("intmax32", enc_none(2**31 - 1)),
        ("long2p31", enc_none(2**31)),
        ("neg1", enc_none(-1)),
        ("negmin32", enc_none(-(2**31))),
        ("longneg", enc_none(-(2**31) - 1)),
        ("long2p100", enc_none(2**100)),
        ("float1.5", enc_none(1.5)),
        ("floatneg", enc_none(-0.1)),
        ("bytes", enc_none(b"hello")),
        ("emptybytes", enc_none(b"")),
        ("list", enc_none([1, b"a", [2.5, -3]])),
        ("emptylist", enc_none([])),
        ("dialects", enc_none([b"pb", b"none"])),
        ("pbvocab", enc_pb([b"version", 6])),
        ("pbvocabmix", enc_pb([b"message", b"root", b"None", b"decref"])),
        ("jelly_none", enc_pb(jel(None))),
        ("jelly_true", enc_pb(jel(True))),
        ("jelly_false", enc_pb(jel(False))),
        ("jelly_str", enc_pb(jel("h\u00e9llo"))),
        ("jelly_bytes", enc_pb(jel(b"raw"))),
        ("jelly_tuple", enc_pb(jel((1, "a")))),
        ("jelly_list", enc_pb(jel([1, 2.0, None]))),
        ("jelly_dict", enc_pb(jel({"k": 1}))),
        ("jelly_shared", enc_pb(jel([shared, shared]))),
        ("jelly_cyclic", enc_pb(jel(cyclic))),
        ("jelly_point", enc_pb(jel(Point(1, 2)))),
        ("jelly_bigint", enc_pb(jel(2**70))),
    ]
    for name, data in cases:
        sys.stdout.write(f"{name} {data.hex()}\n")


if __name__ == "__main__":
    main()
