// A session to a realm the router does not serve is aborted with wamp.error.no_such_realm.
'use strict';
const { autobahn, port, eq, run } = require('./common.js');

run('abort', () => new Promise((resolve, reject) => {
  const connection = new autobahn.Connection({
    url: `ws://127.0.0.1:${port}/ws`, realm: 'no.such.realm', max_retries: 0,
  });
  connection.onopen = () => reject(new Error('joined a realm that does not exist'));
  connection.onclose = (reason, details) => {
    try {
      eq(details.reason, 'wamp.error.no_such_realm', 'ABORT reason');
      resolve();
    } catch (e) {
      reject(e);
    }
    return true;
  };
  connection.open();
}));
