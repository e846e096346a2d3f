// The Node interop suite: every example of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/) for rooms, messages, memberships,
// people, teams, teamMemberships, webhooks and attachmentActions, run with the
// official JS SDK (npm `webex`, see webex-node.js) against the emulator at
// $WEBEX_INTEROP_BASE_URL.
//
// Run by `cargo xtask interop`, which installs the SDK and sets NODE_PATH.
// By hand: NODE_PATH=~/.cache/webex-rs/interop/node/node_modules \
//   WEBEX_INTEROP_BASE_URL=http://127.0.0.1:8642 node interop/node/run.js [filter]

'use strict';

const {Runner, admin, describe} = require('./harness');
const {oauthChecks} = require('./oauth');

/** The resources and their examples, in the seed's order of resources. */
const GROUPS = [
  ['rooms', require('./examples/rooms')],
  ['messages', require('./examples/messages')],
  ['memberships', require('./examples/memberships')],
  ['people', require('./examples/people')],
  ['teams', require('./examples/teams')],
  ['teamMemberships', require('./examples/team-memberships')],
  ['webhooks', require('./examples/webhooks')],
  ['attachmentActions', require('./examples/attachment-actions')],
  // Not seed examples: the device manager against simulated room devices.
  ['devicemanager', require('./examples/devicemanager')],
  // Not seed examples: the official KMS client, see examples/kms.js.
  ['kms', require('./examples/kms')],
  // Not seed examples: see examples/extras.js.
  ['extras', require('./examples/extras')],
];

/** People the examples name; they must exist for memberships by email. */
const NAMED_PEOPLE = [
  {displayName: 'Alice Example', email: 'alice@example.com'},
  {displayName: 'Bob Example', email: 'bob@example.com'},
  {displayName: 'Other User', email: 'otherUser@acme.com'},
];

/**
 * `POST {base}/_emulator/people`: a new person and their access token.
 * With `mayExist`, a 409 (that email is taken) is fine too.
 */
async function createPerson(base, person, {mayExist = false} = {}) {
  const res = await fetch(`${base}/_emulator/people`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({type: 'person', ...person}),
  });
  const body = await res.text();
  if (mayExist && res.status === 409) {
    return null;
  }
  if (res.status !== 201) {
    throw new Error(`POST /_emulator/people ${JSON.stringify(person)}: ${res.status} ${body}`);
  }

  return JSON.parse(body);
}

async function main() {
  const base = (process.env.WEBEX_INTEROP_BASE_URL || '').replace(/\/+$/, '');
  if (!base) {
    console.error('run.js: set WEBEX_INTEROP_BASE_URL to the emulator base URL');

    return 2;
  }
  const filter = process.argv[2] || '';
  const runner = new Runner('node');
  const start = Date.now();
  // Loading the SDK is part of what is under test.
  let connect;
  let connectIntegration;
  let sdkVersion;
  await runner.check('setup', 'load the webex SDK under Node (without browser-only plugins)', () => {
    ({connect, connectIntegration, SDK_VERSION: sdkVersion} = require('./webex-node'));
  });
  if (!connect) {
    return runner.finish();
  }
  console.log(`webex ${sdkVersion} loaded in ${Date.now() - start} ms; emulator at ${base}`);
  await runner.check('setup', 'create the people the examples name', () =>
    Promise.all(NAMED_PEOPLE.map((p) => createPerson(base, p, {mayExist: true})))
  );

  // What the extras get besides their SDK instance: the fault API.
  const env = {
    addFault: (fault) => admin(base, 'POST', '/_emulator/faults', fault),
    clearFaults: () => admin(base, 'DELETE', '/_emulator/faults'),
    createRoomDevice: (name) => admin(base, 'POST', '/_emulator/paired-devices', {name}),
    roomDevice: (id) => admin(base, 'GET', `/_emulator/paired-devices/${id}`),
    shownPin: async (id) => (await admin(base, 'GET', `/_emulator/paired-devices/${id}/pin`)).pin,
    setRoomVolume: (id, level) => admin(base, 'POST', `/_emulator/paired-devices/${id}/volume`, {level}),
    admin: (method, path, body) => admin(base, method, path, body),
  };
  let n = 0;
  for (const [group, all] of GROUPS) {
    const examples = all.filter(({name}) => name.includes(filter));
    if (examples.length) {
      const what = ['extras', 'devicemanager', 'kms'].includes(group)
        ? 'checks beyond the seed'
        : "of the seed's examples";
      console.log(`\n${group}: ${examples.length} ${what} (${all.length} in all)`);
    }
    for (const {name, example} of examples) {
      n += 1;
      // Every example gets its own person and SDK instance, so lists see
      // only what the example itself created.
      await runner.check(
        group,
        name,
        async () => {
          const me = await createPerson(base, {
            displayName: `Node Example ${n}`,
            email: `node-example-${n}-${process.pid}@example.com`,
          });
          const webex = connect(base, me.accessToken);

          return example(webex, env);
        },
        {expectSuccess: true}
      );
    }
  }
  // Not seed examples: the SDK's OAuth helpers against the idbroker (oauth.js).
  console.log('\nauthorization: the OAuth helpers');
  await oauthChecks({
    runner,
    base,
    admin: (method, path, body) => admin(base, method, path, body),
    connectIntegration,
    filter,
  });
  // Background work of the SDK instances (metrics batches and the like) may
  // still reject; give it a moment to, so such a rejection fails this run.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log(`\nnode suite ran in ${((Date.now() - start) / 1000).toFixed(1)} s`);

  return runner.finish();
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`run.js: ${describe(error)}`);
    process.exit(1);
  }
);
