// Helpers shared by the conformance scripts: open Autobahn|JS sessions, assert, finish.
'use strict';
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = require('ws'); // Node < 22 without --experimental-websocket
}
const autobahn = require('autobahn');

const port = Number(process.argv[2]);
const serializerName = process.argv[3] || 'json';

function serializer() {
  return serializerName === 'msgpack'
    ? new autobahn.serializer.MsgpackSerializer()
    : new autobahn.serializer.JSONSerializer();
}

// Opens one session; resolves with {connection, session}.
function open(realm) {
  return new Promise((resolve, reject) => {
    let opened = false;
    const connection = new autobahn.Connection({
      url: `ws://127.0.0.1:${port}/ws`,
      realm: realm || 'realm1',
      serializers: [serializer()],
      max_retries: 0,
      retry_if_unreachable: false,
    });
    connection.onopen = (session) => {
      opened = true;
      resolve({ connection, session });
    };
    connection.onclose = (reason, details) => {
      if (!opened) {
        reject(new Error(`could not open a session: ${reason} ${JSON.stringify(details)}`));
      }
      return true; // never reconnect
    };
    connection.open();
  });
}

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

function eq(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${message}: expected ${e}, got ${a}`);
}

// Waits until predicate() holds, polling every 10 ms, failing after ms.
async function until(predicate, message, ms) {
  const deadline = Date.now() + (ms || 10000);
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for: ${message}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Resolves with the WAMP error URI of a promise that must reject.
async function rejection(promise, message) {
  try {
    const value = await promise;
  } catch (e) {
    return e.error || e.message;
  }
  throw new Error(`expected a rejection: ${message}`);
}

function run(name, body) {
  const timer = setTimeout(() => {
    console.error(`${name}: timed out`);
    process.exit(2);
  }, 50000);
  body().then(() => {
    clearTimeout(timer);
    console.log(`OK ${name} ${serializerName}`);
    process.exit(0);
  }, (e) => {
    console.error(`FAIL ${name} ${serializerName}: ${e.stack || e}`);
    process.exit(1);
  });
}

module.exports = { autobahn, port, serializerName, open, check, eq, until, rejection, run };
