// Publish/subscribe with each match policy, exclusion, black/white listing, disclosure and
// acknowledgement; events cross to and from a jpb client on the same router.
'use strict';
const { open, check, eq, until, rejection, run } = require('./common.js');

run('pubsub', async () => {
  const { session: s1 } = await open();
  const { session: s2 } = await open();
  const got = [];
  const record = (tag) => (args, kwargs, details) =>
    got.push({
      tag, args, kwargs: kwargs || {}, topic: details.topic, publisher: details.publisher,
    });

  await s1.subscribe('js.exact', record('exact'));
  await s1.subscribe('js.pre.', record('prefix'), { match: 'prefix' });
  await s1.subscribe('js..wild', record('wildcard'), { match: 'wildcard' });

  // one publication matching a prefix and a wildcard subscription: one event for each
  const pub = await s2.publish('js.pre.wild', [1], { k: 'v' }, { acknowledge: true });
  check(typeof pub.id === 'number' && pub.id > 0, 'acknowledged publish returns an id');
  await until(() => got.length === 2, 'two events');
  eq(got.map((e) => e.tag).sort(), ['prefix', 'wildcard'], 'each subscription once');
  eq(got[0].topic, 'js.pre.wild', 'pattern events carry the topic');
  eq(got[0].kwargs, { k: 'v' }, 'kwargs arrive');

  // the wildcard needs exactly three components; the prefix matches any longer topic
  await s2.publish('js.pre.a.b', ['deep'], {}, { acknowledge: true });
  await s2.publish('js.other.wild', ['other'], {}, { acknowledge: true });
  await s2.publish('js.exact', ['exact'], {}, { acknowledge: true });
  await until(() => got.length === 5, 'three more events');
  eq(got.slice(2).map((e) => e.tag + ':' + e.args[0]),
    ['prefix:deep', 'wildcard:other', 'exact:exact'], 'matching rules');

  // black and white listing by session id, disclosure
  got.length = 0;
  await s2.publish('js.exact', ['excluded'], {}, { acknowledge: true, exclude: [s1.id] });
  await s2.publish('js.exact', ['eligible'], {}, { acknowledge: true, eligible: [s1.id] });
  await s2.publish('js.exact', ['not-eligible'], {}, { acknowledge: true, eligible: [s2.id] });
  await s2.publish('js.exact', ['disclosed'], {}, { acknowledge: true, disclose_me: true });
  await until(() => got.length === 2, 'eligible and disclosed events');
  eq(got.map((e) => e.args[0]), ['eligible', 'disclosed'], 'exclude / eligible');
  eq(got[0].publisher, undefined, 'publisher hidden by default');
  eq(got[1].publisher, s2.id, 'publisher disclosed when asked');

  // publisher exclusion is on by default
  const mine = [];
  await s2.subscribe('js.self', (args) => mine.push(args[0]));
  await s2.publish('js.self', ['hidden'], {}, { acknowledge: true });
  await s2.publish('js.self', ['shown'], {}, { acknowledge: true, exclude_me: false });
  await until(() => mine.length === 1, 'own event with exclude_me false');
  eq(mine, ['shown'], 'exclude_me');

  // errors of acknowledged publications
  eq(await rejection(s2.publish('bad uri', [], {}, { acknowledge: true }), 'bad uri'),
    'wamp.error.invalid_uri', 'invalid topic');
  eq(await rejection(s2.publish('wamp.session.on_join', [], {}, { acknowledge: true }), 'wamp.'),
    'wamp.error.invalid_uri', 'reserved topic');

  // a jpb client publishes to us, and receives what we publish
  const fromJpb = [];
  await s1.subscribe('jpb.to.js', (args) => fromJpb.push(args[0]));
  await s1.call('jpb.publish', ['jpb.to.js', 'hello from jpb']);
  await until(() => fromJpb.length === 1, 'event from jpb');
  eq(fromJpb, ['hello from jpb'], 'jpb publication');
  await s2.publish('js.to.jpb', ['hello from js'], { n: 1 }, { acknowledge: true });
});
