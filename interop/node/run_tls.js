// The Node interop suite over TLS: the official JS SDK (npm `webex`, see
// webex-node.js) against an emulator started with --tls, at
// $WEBEX_INTEROP_BASE_URL (https). Node trusts the emulator's CA only through
// NODE_EXTRA_CA_CERTS, as a user would set it up; the SDK is not patched.
//
// Run by `cargo xtask interop --suite tls`. By hand, against
// `webex-emulator --tls` (its second stdout line is `ca: <path>`):
//   NODE_EXTRA_CA_CERTS=<path> NODE_PATH=~/.cache/webex-rs/interop/node/node_modules \
//     WEBEX_INTEROP_BASE_URL=https://127.0.0.1:8642 node interop/node/run_tls.js [filter]

'use strict';

const assert = require('assert');
const {spawnSync} = require('child_process');

const {Runner, admin, describe} = require('./harness');

/** How long the listener waits for the message event. */
const EVENT_TIMEOUT_MS = 10000;

let serial = 0;

/** A new person on the emulator (admin API over https): {id, email, accessToken, ...}. */
function person(base, label) {
  serial += 1;

  return admin(base, 'POST', '/_emulator/people', {
    type: 'person',
    displayName: `Node Tls ${label} ${serial}`,
    email: `node-tls-${label.toLowerCase()}-${serial}-${process.pid}@example.com`,
  });
}

/** The checks, each `[group, name, fn(base, connect)]`. */
const CHECKS = [
  [
    'tls',
    'Node trusts the emulator only with NODE_EXTRA_CA_CERTS',
    async (base) => {
      assert(base.startsWith('https://'), `an https emulator: ${base}`);
      // The same fetch in a Node without the variable is refused.
      const env = {...process.env};
      delete env.NODE_EXTRA_CA_CERTS;
      const script = `fetch(${JSON.stringify(`${base}/_emulator/health`)}).then(
        () => process.exit(0), (e) => { console.error(String(e.cause || e)); process.exit(3); })`;
      const child = spawnSync(process.execPath, ['-e', script], {env, encoding: 'utf8'});
      assert.strictEqual(child.status, 3, `without the CA: exit ${child.status} ${child.stderr}`);
      assert(/certificate/i.test(child.stderr), `a certificate error: ${child.stderr}`);

      return 'success';
    },
  ],
  [
    'people',
    "people.get('me') over https",
    async (base, connect) => {
      const me = await person(base, 'Me');
      const webex = connect(base, me.accessToken);
      const got = await webex.people.get('me');
      assert.strictEqual(got.id, me.id);
      assert.strictEqual(got.emails[0], me.email);

      return 'success';
    },
  ],
  [
    'rooms',
    'rooms.create and rooms.list over https',
    async (base, connect) => {
      const me = await person(base, 'Rooms');
      const webex = connect(base, me.accessToken);
      const room = await webex.rooms.create({title: 'Node over TLS'});
      const rooms = await webex.rooms.list({max: 10});
      assert.deepStrictEqual(
        rooms.items.map((r) => r.id),
        [room.id]
      );

      return 'success';
    },
  ],
  [
    'messages',
    'messages.create over https',
    async (base, connect) => {
      const me = await person(base, 'Messages');
      const webex = connect(base, me.accessToken);
      const room = await webex.rooms.create({title: 'Node TLS messages'});
      const message = await webex.messages.create({roomId: room.id, markdown: '**over** TLS'});
      assert(message.id);
      assert.strictEqual(message.roomId, room.id);
      assert.strictEqual(message.personId, me.id);

      return 'success';
    },
  ],
  [
    'messages',
    'messages.listen(): a created event over wss',
    async (base, connect) => {
      const listener = await person(base, 'Listener');
      const poster = await person(base, 'Poster');
      const webex = connect(base, listener.accessToken);
      await webex.messages.listen();
      try {
        const socketUrl = webex.internal.device.webSocketUrl;
        assert(String(socketUrl).startsWith('wss://'), `Mercury over wss: ${socketUrl}`);
        const other = connect(base, poster.accessToken);
        const created = new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`no messages:created event in ${EVENT_TIMEOUT_MS} ms`)),
            EVENT_TIMEOUT_MS
          );
          webex.messages.on('created', (event) => {
            clearTimeout(timer);
            resolve(event);
          });
        });
        const room = await other.rooms.create({title: 'Node TLS listen'});
        await other.memberships.create({roomId: room.id, personEmail: listener.email});
        const sent = await other.messages.create({roomId: room.id, text: 'pushed over wss'});
        const event = await created;
        assert.strictEqual(event.data.id, sent.id);
        assert.strictEqual(event.data.roomId, room.id);
      } finally {
        webex.messages.stopListening();
        webex.messages.off('created');
      }

      return 'success';
    },
  ],
];

async function main() {
  const base = (process.env.WEBEX_INTEROP_BASE_URL || '').replace(/\/+$/, '');
  if (!base.startsWith('https://') || !process.env.NODE_EXTRA_CA_CERTS) {
    console.error(
      "run_tls.js: set WEBEX_INTEROP_BASE_URL to a --tls emulator's https URL and NODE_EXTRA_CA_CERTS to its CA"
    );

    return 2;
  }
  const filter = process.argv[2] || '';
  const runner = new Runner('tls-node');
  const start = Date.now();
  let connect;
  await runner.check('setup', 'load the webex SDK under Node', () => {
    ({connect} = require('./webex-node'));
  });
  if (!connect) {
    return runner.finish();
  }
  console.log(`emulator at ${base}, CA ${process.env.NODE_EXTRA_CA_CERTS}`);
  for (const [group, name, fn] of CHECKS) {
    if (name.includes(filter)) {
      await runner.check(group, name, () => fn(base, connect), {expectSuccess: true});
    }
  }
  // Let background work of the SDK instances reject now, if it will.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log(`\ntls-node suite ran in ${((Date.now() - start) / 1000).toFixed(1)} s`);

  return runner.finish();
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`run_tls.js: ${describe(error)}`);
    process.exit(1);
  }
);
