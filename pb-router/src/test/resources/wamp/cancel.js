// Call cancelling against a jpb callee that reports the interrupts it receives.
'use strict';
const { open, eq, rejection, run } = require('./common.js');

run('cancel', async () => {
  const { session } = await open();
  // kill: the callee is interrupted and its answer (wamp.error.canceled) reaches us
  const killed = session.call('jpb.forever', ['kill']);
  await session.call('jpb.started', ['kill']);
  killed.cancel({ mode: 'kill' });
  eq(await rejection(killed), 'wamp.error.canceled', 'kill');

  // a timeout interrupts the callee with killnowait
  eq(await rejection(session.call('jpb.forever', ['timeout'], {}, { timeout: 300 })),
    'wamp.error.timeout', 'timeout');

  // skip and killnowait: Autobahn|JS rejects at once and forgets the request, so each runs
  // on a session of its own (the router's ERROR for it then ends that session, see
  // docs/router.md)
  for (const mode of ['killnowait', 'skip']) {
    const { session: s } = await open();
    const call = s.call('jpb.forever', [mode]);
    await s.call('jpb.started', [mode]);
    call.cancel({ mode });
    eq(await rejection(call), 'Cancelled', mode);
  }
});
