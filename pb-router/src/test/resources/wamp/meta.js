// Meta events and meta procedures about sessions, subscriptions and registrations.
'use strict';
const { open, check, eq, until, rejection, run } = require('./common.js');

const jpbSession = Number(process.argv[4]);

run('meta', async () => {
  const { session: m } = await open();
  const events = [];
  for (const topic of ['wamp.session.on_join', 'wamp.session.on_leave',
    'wamp.subscription.on_create', 'wamp.subscription.on_subscribe',
    'wamp.subscription.on_unsubscribe', 'wamp.subscription.on_delete',
    'wamp.registration.on_create', 'wamp.registration.on_register',
    'wamp.registration.on_unregister', 'wamp.registration.on_delete']) {
    await m.subscribe(topic, (args) => events.push({ topic, args }));
  }
  const seen = (topic) => events.filter((e) => e.topic === topic);

  const { connection: oc, session: o } = await open();
  const oid = o.id; // o.id is gone once o closes
  await until(() => seen('wamp.session.on_join').length === 1, 'on_join');
  const joined = seen('wamp.session.on_join')[0].args[0];
  eq([joined.session, joined.authrole], [o.id, 'anonymous'], 'on_join details');

  const sub = await o.subscribe('meta.topic', () => {});
  const reg = await o.register('meta.proc', () => 1);
  await until(() => seen('wamp.registration.on_register').length === 1, 'on_register');
  const created = seen('wamp.subscription.on_create')[0].args;
  eq([created[0], created[1].id, created[1].uri, created[1].match],
    [o.id, sub.id, 'meta.topic', 'exact'], 'subscription.on_create');
  eq(seen('wamp.subscription.on_subscribe')[0].args, [o.id, sub.id], 'on_subscribe');
  const rc = seen('wamp.registration.on_create')[0].args;
  eq([rc[0], rc[1].id, rc[1].uri, rc[1].invoke], [o.id, reg.id, 'meta.proc', 'single'],
    'registration.on_create');
  eq(seen('wamp.registration.on_register')[0].args, [o.id, reg.id], 'on_register');

  // session procedures
  const count = await m.call('wamp.session.count');
  check(count >= 3, `wamp.session.count counts us, o and the jpb client: ${count}`);
  const list = await m.call('wamp.session.list');
  check(list.includes(o.id) && list.includes(m.id) && list.includes(jpbSession),
    'wamp.session.list');
  eq((await m.call('wamp.session.get', [o.id])).session, o.id, 'wamp.session.get');
  eq((await m.call('wamp.session.get', [jpbSession])).transport.type, 'jpb',
    'the jpb client is a session like any other');
  eq(await rejection(m.call('wamp.session.get', [12345])), 'wamp.error.no_such_session',
    'unknown session');

  // subscription procedures
  check((await m.call('wamp.subscription.list')).exact.includes(sub.id), 'subscription.list');
  eq(await m.call('wamp.subscription.lookup', ['meta.topic']), sub.id, 'subscription.lookup');
  eq(await m.call('wamp.subscription.lookup', ['meta.none']), null, 'lookup of nothing');
  check((await m.call('wamp.subscription.match', ['meta.topic'])).includes(sub.id),
    'subscription.match');
  eq((await m.call('wamp.subscription.get', [sub.id])).uri, 'meta.topic', 'subscription.get');
  eq(await m.call('wamp.subscription.list_subscribers', [sub.id]), [o.id], 'list_subscribers');
  eq(await m.call('wamp.subscription.count_subscribers', [sub.id]), 1, 'count_subscribers');
  eq(await rejection(m.call('wamp.subscription.get', [1 << 30])),
    'wamp.error.no_such_subscription', 'unknown subscription');

  // registration procedures
  check((await m.call('wamp.registration.list')).exact.includes(reg.id), 'registration.list');
  eq(await m.call('wamp.registration.lookup', ['meta.proc']), reg.id, 'registration.lookup');
  eq(await m.call('wamp.registration.match', ['meta.proc']), reg.id, 'registration.match');
  eq((await m.call('wamp.registration.get', [reg.id])).invoke, 'single', 'registration.get');
  eq(await m.call('wamp.registration.list_callees', [reg.id]), [o.id], 'list_callees');
  eq(await m.call('wamp.registration.count_callees', [reg.id]), 1, 'count_callees');
  eq(await rejection(m.call('wamp.registration.get', [1 << 30])),
    'wamp.error.no_such_registration', 'unknown registration');
  eq(await rejection(m.call('wamp.nothing.here')), 'wamp.error.no_such_procedure',
    'unknown meta procedure');

  // leaving tears down, with events
  await o.unsubscribe(sub);
  await o.unregister(reg);
  oc.close();
  await until(() => seen('wamp.session.on_leave').length === 1, 'on_leave');
  eq(seen('wamp.subscription.on_unsubscribe')[0].args, [oid, sub.id], 'on_unsubscribe');
  eq(seen('wamp.subscription.on_delete')[0].args, [oid, sub.id], 'subscription.on_delete');
  eq(seen('wamp.registration.on_unregister')[0].args, [oid, reg.id], 'on_unregister');
  eq(seen('wamp.registration.on_delete')[0].args, [oid, reg.id], 'registration.on_delete');
  eq(seen('wamp.session.on_leave')[0].args, [oid], 'on_leave');
});
