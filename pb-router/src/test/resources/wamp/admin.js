// Admin meta procedures: remove a subscriber, remove a callee, kill sessions (by id, authid,
// authrole). The router under test lets authrole "anonymous" call them.
'use strict';
const { autobahn, port, open, check, eq, rejection, run } = require('./common.js');

const jpbSession = Number(process.argv[4]);

// Opens a session with an authid; resolves with {session, closed}, closed a promise of the
// close details the router gave (GOODBYE's reason and message).
function openAs(authid) {
  return new Promise((resolve, reject) => {
    let opened = false;
    let closedWith;
    const closed = new Promise((r) => { closedWith = r; });
    const connection = new autobahn.Connection({
      url: `ws://127.0.0.1:${port}/ws`, realm: 'realm1', authid,
      max_retries: 0, retry_if_unreachable: false,
    });
    connection.onopen = (session) => { opened = true; resolve({ session, closed }); };
    connection.onclose = (reason, details) => {
      if (!opened) {
        reject(new Error(`could not open: ${reason}`));
      }
      closedWith(details);
      return true;
    };
    connection.open();
  });
}

run('admin', async () => {
  const { session: admin } = await open();
  const { session: o } = await open();

  const sub = await o.subscribe('admin.topic', () => {});
  const subId = sub.id;
  await admin.call('wamp.subscription.remove_subscriber', [subId, o.id],
    { reason: 'com.example.go_away' });
  eq(await sub.on_unsubscribe, 'com.example.go_away', 'the subscriber hears UNSUBSCRIBED');
  eq(await admin.call('wamp.subscription.lookup', ['admin.topic']), null,
    'its last subscriber gone, the subscription is deleted');

  const reg = await o.register('admin.proc', () => 1);
  const regId = reg.id;
  await admin.call('wamp.registration.remove_callee', [regId, o.id]);
  await reg.on_unregister;
  eq(await rejection(admin.call('admin.proc')), 'wamp.error.no_such_procedure',
    'a removed callee is called no more');
  eq(await rejection(admin.call('wamp.registration.remove_callee', [regId, o.id])),
    'wamp.error.no_such_registration', 'removing twice');

  const v1 = await openAs('victim');
  const v2 = await openAs('victim');
  const v1id = v1.session.id;
  const v2id = v2.session.id;
  const killed = await admin.call('wamp.session.kill_by_authid', ['victim'], {
    reason: 'com.example.maintenance', message: 'back soon' });
  eq(killed.sort(), [v1id, v2id].sort(), 'kill_by_authid answers the killed ids');
  const d = await v1.closed;
  eq([d.reason, d.message], ['com.example.maintenance', 'back soon'],
    'the killed session got GOODBYE with the reason and message');
  await v2.closed;

  await admin.call('wamp.session.kill', [jpbSession]);
  eq(await rejection(admin.call('wamp.session.get', [jpbSession])),
    'wamp.error.no_such_session', 'the killed jpb session is gone');
  eq(await rejection(admin.call('wamp.session.kill', [admin.id])),
    'wamp.error.no_such_session', 'a session cannot kill itself');

  const n = await admin.call('wamp.session.kill_by_authrole', ['anonymous']);
  check(n >= 1, `kill_by_authrole counts the killed (o at least): ${n}`);
  eq(await admin.call('wamp.session.list'), [admin.id], 'only the caller survives its own kill');
});
