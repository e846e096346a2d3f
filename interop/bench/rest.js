// The JS SDK client of `cargo xtask bench rest`: the official npm `webex` SDK
// (loaded by ../node/webex-node.js) posts WEBEX_BENCH_MESSAGES messages into
// one room, WEBEX_BENCH_CONCURRENCY promises in flight, then lists them all
// WEBEX_BENCH_PAGE a page with page.next(). It prints one JSON line with the
// CPU (process.cpuUsage) and wall time of that workload only, and fails unless
// every message was posted and listed.
//
// `requests` counts the HTTP requests Node actually sent during the workload
// (the `http.client.request.start` diagnostics channel), so anything the SDK
// sends besides the API calls counts too.
//
// By hand: NODE_PATH=~/.cache/webex-rs/interop/node/node_modules \
//   WEBEX_BENCH_BASE_URL=... WEBEX_BENCH_TOKEN=... WEBEX_BENCH_ROOM_ID=... \
//   node interop/bench/rest.js

'use strict';

const diagnostics = require('diagnostics_channel');

const {env, number} = require('./env');

async function main() {
  const base = env('WEBEX_BENCH_BASE_URL').replace(/\/+$/, '');
  const token = env('WEBEX_BENCH_TOKEN');
  const roomId = env('WEBEX_BENCH_ROOM_ID');
  const total = number('WEBEX_BENCH_MESSAGES', 500);
  const concurrency = number('WEBEX_BENCH_CONCURRENCY', 16);
  const max = number('WEBEX_BENCH_PAGE', 50);

  const {connect} = require('../node/webex-node');
  const webex = connect(base, token);
  // One request before the clock starts, as every client of the bench does:
  // the catalog is loaded and a connection is open.
  await webex.people.get('me');

  let requests = 0;
  const count = () => {
    requests += 1;
  };
  diagnostics.subscribe('http.client.request.start', count);

  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();

  const posted = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next;
      next += 1;
      // eslint-disable-next-line no-await-in-loop
      const message = await webex.messages.create({roomId, text: `bench message ${i}`});
      posted.push(message.id);
    }
  };
  await Promise.all(Array.from({length: concurrency}, worker));

  const listed = [];
  let page = await webex.messages.list({roomId, max});
  let pages = 1;
  for (;;) {
    listed.push(...page.items.map((m) => m.id));
    if (!page.hasNext()) {
      break;
    }
    // eslint-disable-next-line no-await-in-loop
    page = await page.next();
    pages += 1;
  }

  const wallNs = process.hrtime.bigint() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  diagnostics.unsubscribe('http.client.request.start', count);

  const postedSet = new Set(posted);
  const listedSet = new Set(listed);
  const missing = [...postedSet].filter((id) => !listedSet.has(id)).length;
  console.log(
    JSON.stringify({
      client: 'webex (npm)',
      requests,
      cpu_ms: (cpu.user + cpu.system) / 1000,
      wall_ms: Number(wallNs) / 1e6,
      posted: postedSet.size,
      listed: listed.length,
      pages,
    })
  );
  if (postedSet.size !== total) {
    throw new Error(`posted ${postedSet.size} distinct messages, not ${total}`);
  }
  if (missing > 0) {
    throw new Error(`${missing} posted messages were not listed`);
  }

  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`rest.js: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  }
);
