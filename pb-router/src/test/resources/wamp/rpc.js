// Routed calls: each invocation policy, pattern registrations, results, errors, disclosure,
// timeout and callee loss; calls cross to and from a jpb client on the same router.
'use strict';
const { autobahn, open, check, eq, until, rejection, run } = require('./common.js');

run('rpc', async () => {
  const callees = [await open(), await open(), await open()];
  const { session: caller } = await open();

  for (const policy of ['roundrobin', 'random', 'first', 'last']) {
    for (let i = 0; i < 3; i++) {
      await callees[i].session.register(`js.shared.${policy}`, () => `c${i}`, { invoke: policy });
    }
  }
  const calls = async (proc, n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(await caller.call(proc));
    }
    return out;
  };
  eq(await calls('js.shared.roundrobin', 6), ['c0', 'c1', 'c2', 'c0', 'c1', 'c2'], 'roundrobin');
  eq(await calls('js.shared.first', 3), ['c0', 'c0', 'c0'], 'first');
  eq(await calls('js.shared.last', 3), ['c2', 'c2', 'c2'], 'last');
  eq([...new Set(await calls('js.shared.random', 60))].sort(), ['c0', 'c1', 'c2'], 'random');

  const c0 = callees[0].session;
  const c1 = callees[1].session;
  await c0.register('js.single', () => 'single');
  eq(await rejection(c1.register('js.single', () => 'two')), 'wamp.error.procedure_already_exists',
    'single refuses a second callee');
  eq(await rejection(c1.register('js.shared.first', () => 'x', { invoke: 'last' })),
    'wamp.error.procedure_already_exists', 'a shared registration keeps its policy');

  // pattern registrations: longest prefix wins, then wildcard
  await c0.register('js.pre.', (a, k, d) => `short:${d.procedure}`, { match: 'prefix' });
  await c0.register('js.pre.longer.', (a, k, d) => `long:${d.procedure}`, { match: 'prefix' });
  await c1.register('js..wild', (a, k, d) => `wild:${d.procedure}`, { match: 'wildcard' });
  eq(await caller.call('js.pre.x'), 'short:js.pre.x', 'prefix');
  eq(await caller.call('js.pre.longer.y'), 'long:js.pre.longer.y', 'longest prefix');
  eq(await caller.call('js.any.wild'), 'wild:js.any.wild', 'wildcard');
  eq(await rejection(caller.call('js.none')), 'wamp.error.no_such_procedure', 'no callee');
  eq(await rejection(caller.call('not a uri')), 'wamp.error.invalid_uri', 'invalid uri');

  // results with kwargs, application errors, caller disclosure
  await c0.register('js.result', (args) => new autobahn.Result([args[0] * 2, 'x'], { a: 1 }));
  const r = await caller.call('js.result', [21]);
  eq([r.args, r.kwargs], [[42, 'x'], { a: 1 }], 'args and kwargs');
  await c0.register('js.fail', () => { throw new autobahn.Error('js.error.custom', ['why'], {}); });
  try {
    await caller.call('js.fail');
    throw new Error('js.fail answered');
  } catch (e) {
    eq([e.error, e.args], ['js.error.custom', ['why']], 'application error');
  }
  await c0.register('js.who', (a, k, d) => d.caller === undefined ? -1 : d.caller);
  eq(await caller.call('js.who'), -1, 'caller hidden by default');
  eq(await caller.call('js.who', [], {}, { disclose_me: true }), caller.id, 'caller disclosed');

  // timeout: the router answers wamp.error.timeout
  await c1.register('js.hang', () => new Promise(() => {}));
  eq(await rejection(caller.call('js.hang', [], {}, { timeout: 200 })), 'wamp.error.timeout',
    'timeout');

  // a callee that leaves fails its pending calls and loses its registration
  const { connection: leaving, session: c3 } = await open();
  let started = false;
  await c3.register('js.leaving', () => { started = true; return new Promise(() => {}); });
  const pending = caller.call('js.leaving');
  await until(() => started, 'invocation reached the callee');
  leaving.close();
  eq(await rejection(pending), 'wamp.error.canceled', 'callee left');
  eq(await rejection(caller.call('js.leaving')), 'wamp.error.no_such_procedure', 'removed');

  // jpb callees and callers
  eq(await caller.call('jpb.add', [2, 3]), 5, 'a jpb callee');
  await c0.register('js.echo', (args) => `echo:${args[0]}`);
  eq(await caller.call('jpb.call_js', ['js.echo', 'hi']), 'echo:hi', 'a jpb caller of a js callee');
});
