"""PB's chat room in Python: nvx(name, client) joins, say(text) speaks, msg(line) calls back.

Usage: python3 chat_server.py   (prints "PORT n" once listening on 127.0.0.1)
"""
from twisted.internet import reactor
from twisted.spread import pb


class NameTaken(pb.Error):
    pass


NameTaken.__module__ = "chat"


class Room(pb.Root):
    def __init__(self):
        self.members = {}

    def remote_nvx(self, name, client):
        if name in self.members:
            raise NameTaken("the name %s is taken" % name)
        self.members[name] = client
        client.notifyOnDisconnect(lambda ref: self.members.pop(name, None))
        self.broadcast("* %s joined" % name)
        return sorted(self.members)

    def remote_say(self, name, text):
        self.broadcast("<%s> %s" % (name, text))

    def broadcast(self, line):
        for client in list(self.members.values()):
            client.callRemote("msg", line)


if __name__ == "__main__":
    port = reactor.listenTCP(0, pb.PBServerFactory(Room()), interface="127.0.0.1")
    print("PORT", port.getHost().port, flush=True)
    reactor.run()
