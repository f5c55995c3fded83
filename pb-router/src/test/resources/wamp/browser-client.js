// The router's own browser client (/jpb/wamp.js) against the router, next to Autobahn|JS:
// it subscribes, publishes, registers and calls, and sees an Autobahn session's traffic.
'use strict';
const { open, eq, until, run } = require('./common.js');

require(process.argv[4]); // defines globalThis.JpbWamp
const port = Number(process.argv[2]);

run('browser-client', async () => {
  const jpbWamp = await globalThis.JpbWamp.connect(`ws://127.0.0.1:${port}/ws`, 'realm1');
  const { session: ab } = await open();
  const got = [];
  await jpbWamp.subscribe('bc.topic', (args, kwargs) => got.push([args[0], kwargs.k]));
  await ab.publish('bc.topic', ['from autobahn'], { k: 1 }, { acknowledge: true });
  await until(() => got.length === 1, 'event from autobahn');
  eq(got[0], ['from autobahn', 1], 'event');

  await jpbWamp.register('bc.double', (args) => args[0] * 2);
  eq(await ab.call('bc.double', [21]), 42, 'autobahn calls the browser client');
  await ab.register('bc.hello', (args) => `hello ${args[0]}`);
  eq((await jpbWamp.call('bc.hello', ['you'])).args, ['hello you'], 'the browser client calls');

  const mine = [];
  await ab.subscribe('bc.back', (args) => mine.push(args[0]));
  await jpbWamp.publish('bc.back', ['ack'], {}, { acknowledge: true });
  await until(() => mine.length === 1, 'event from the browser client');
  try {
    await jpbWamp.call('bc.none');
    throw new Error('no error');
  } catch (e) {
    eq(e.error, 'wamp.error.no_such_procedure', 'errors');
  }
  eq(await ab.call('wamp.session.count') >= 2, true, 'both sessions joined');
  jpbWamp.close();
});
