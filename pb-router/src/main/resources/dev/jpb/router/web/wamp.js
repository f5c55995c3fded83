// jpb's small WAMP v2 client for browsers: WebSocket, wamp.2.json, anonymous.
// Served by every jpb router at /jpb/wamp.js. Usage:
//   const session = await JpbWamp.connect('ws://' + location.host + '/ws', 'realm1');
//   await session.subscribe('com.example.t', (args, kwargs, details) => { ... });
//   const result = await session.call('com.example.add', [2, 3]);  // {args, kwargs}
(function (global) {
  'use strict';
  const T = {
    HELLO: 1, WELCOME: 2, ABORT: 3, GOODBYE: 6, ERROR: 8, PUBLISH: 16, PUBLISHED: 17,
    SUBSCRIBE: 32, SUBSCRIBED: 33, UNSUBSCRIBE: 34, UNSUBSCRIBED: 35, EVENT: 36, CALL: 48,
    RESULT: 50, REGISTER: 64, REGISTERED: 65, INVOCATION: 68, YIELD: 70,
  };

  class WampError extends Error {
    constructor(uri, args, kwargs) {
      super(uri + (args && args.length ? ': ' + args[0] : ''));
      this.error = uri;
      this.args = args || [];
      this.kwargs = kwargs || {};
    }
  }

  class Session {
    constructor(ws) {
      this.ws = ws;
      this.id = null;
      this.nextRequest = 1;
      this.pending = new Map();   // request id -> {resolve, reject, kind}
      this.handlers = new Map();  // subscription id -> [handler]
      this.procedures = new Map(); // registration id -> fn
      this.onclose = null;
    }

    send(msg) {
      this.ws.send(JSON.stringify(msg));
    }

    request(msg, extra) {
      const id = this.nextRequest++;
      msg.splice(1, 0, id);
      return new Promise((resolve, reject) => {
        this.pending.set(id, Object.assign({ resolve, reject }, extra || {}));
        this.send(msg);
      });
    }

    subscribe(topic, handler, options) {
      return this.request([T.SUBSCRIBE, options || {}, topic]).then((id) => {
        if (!this.handlers.has(id)) {
          this.handlers.set(id, []);
        }
        this.handlers.get(id).push(handler);
        return { id, topic };
      });
    }

    unsubscribe(subscription) {
      this.handlers.delete(subscription.id);
      return this.request([T.UNSUBSCRIBE, subscription.id]);
    }

    publish(topic, args, kwargs, options) {
      const opts = options || {};
      const msg = [T.PUBLISH, opts, topic, args || [], kwargs || {}];
      if (opts.acknowledge) {
        return this.request(msg);
      }
      msg.splice(1, 0, this.nextRequest++);
      this.send(msg);
      return Promise.resolve();
    }

    call(procedure, args, kwargs, options) {
      return this.request([T.CALL, options || {}, procedure, args || [], kwargs || {}]);
    }

    register(procedure, fn, options) {
      return this.request([T.REGISTER, options || {}, procedure]).then((id) => {
        this.procedures.set(id, fn);
        return { id, procedure };
      });
    }

    close() {
      this.send([T.GOODBYE, {}, 'wamp.close.close_realm']);
    }

    receive(m) {
      const type = m[0];
      if (type === T.EVENT) {
        for (const h of this.handlers.get(m[1]) || []) {
          h(m[4] || [], m[5] || {}, m[3] || {});
        }
      } else if (type === T.INVOCATION) {
        const fn = this.procedures.get(m[2]);
        Promise.resolve().then(() => fn(m[4] || [], m[5] || {}, m[3] || {})).then(
          (r) => this.send([T.YIELD, m[1], {}, [r]]),
          (e) => this.send([T.ERROR, T.INVOCATION, m[1], {},
            e instanceof WampError ? e.error : 'wamp.error.runtime_error', [String(e)]]));
      } else if (type === T.ERROR) {
        const p = this.pending.get(m[2]);
        if (p) {
          this.pending.delete(m[2]);
          p.reject(new WampError(m[4], m[5], m[6]));
        }
      } else if (type === T.SUBSCRIBED || type === T.REGISTERED || type === T.PUBLISHED) {
        this.settle(m[1], m[2]);
      } else if (type === T.UNSUBSCRIBED) {
        this.settle(m[1], null);
      } else if (type === T.RESULT) {
        this.settle(m[1], { args: m[3] || [], kwargs: m[4] || {} });
      } else if (type === T.GOODBYE || type === T.ABORT) {
        this.ws.close();
      }
    }

    settle(id, value) {
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        p.resolve(value);
      }
    }
  }

  function connect(url, realm) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['wamp.2.json']);
      const session = new Session(ws);
      let joined = false;
      ws.onopen = () => session.send([T.HELLO, realm, {
        roles: { publisher: {}, subscriber: {}, caller: {}, callee: {} },
      }]);
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (!joined) {
          if (m[0] === T.WELCOME) {
            joined = true;
            session.id = m[1];
            resolve(session);
          } else {
            reject(new WampError(m[2] || 'wamp.error.protocol_violation'));
            ws.close();
          }
          return;
        }
        session.receive(m);
      };
      ws.onclose = () => {
        for (const p of session.pending.values()) {
          p.reject(new WampError('wamp.close.transport_lost'));
        }
        session.pending.clear();
        if (!joined) {
          reject(new WampError('wamp.close.transport_lost'));
        } else if (session.onclose) {
          session.onclose();
        }
      };
    });
  }

  global.JpbWamp = { connect, WampError };
})(typeof window !== 'undefined' ? window : globalThis);
