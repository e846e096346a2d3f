// The JS SDK client of `cargo xtask bench events`: the official npm `webex`
// SDK (loaded by ../node/webex-node.js). WEBEX_BENCH_MODE picks what it
// measures; it prints JSON lines on stdout, which the harness reads.
//
// - `listen`: webex.messages.listen(), then counts WEBEX_BENCH_EVENTS
//   `created` events with distinct message ids (the SDK converts each
//   activity and fetches its message, as ours does), or stops once no event
//   came for QUIET_MS after the first. Prints {"ready": true} once listening,
//   then {"client", "events", "lost", "cpu_ms", "wall_ms"}: CPU
//   (process.cpuUsage, user + system) from ready to the end, wall time from
//   the first event to the last. WEBEX_BENCH_MAX_SOCKETS caps Node's HTTP
//   agent (the SDK's requests go through it): the SDK starts one message
//   fetch per activity at once, and a burst would otherwise open thousands
//   of connections. With WEBEX_BENCH_RECONNECT=1 it then prints
//   {"awaiting_drop": true} and, once its socket dropped and came back,
//   {"reconnected_at_ms"}: the wall-clock time (ms since the Unix epoch) of
//   the SDK's mercury `online`.
// - `rss`: one connected client (webex.messages.listen()), then idles
//   WEBEX_BENCH_SETTLE_SECS and prints {"rss_kib"}.
// - `bare`: the same idle without loading the SDK: Node's own RSS.
//
// By hand: NODE_PATH=~/.cache/webex-rs/interop/node/node_modules \
//   WEBEX_BENCH_MODE=listen WEBEX_BENCH_BASE_URL=... WEBEX_BENCH_TOKEN=... \
//   node interop/bench/events.js

'use strict';

const {env, number} = require('./env');

/** One JSON line on stdout. */
function say(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Resolves after `ms`. */
function sleep(ms) {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/** Rejects after `ms` with `what`, unless `promise` settles first. */
function patient(promise, ms, what) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });

  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A client of the emulator, listening to messages. */
async function listening() {
  const {connect} = require('../node/webex-node');
  const webex = connect(env('WEBEX_BENCH_BASE_URL').replace(/\/+$/, ''), env('WEBEX_BENCH_TOKEN'));
  await webex.messages.listen();

  return webex;
}

/** How long to wait for the first event, the drop and the reconnect. */
const PATIENCE_MS = 120000;
/** After the first event: how long without one before the rest count as lost. */
const QUIET_MS = 10000;

async function listen() {
  const total = number('WEBEX_BENCH_EVENTS', 100000);
  const maxSockets = number('WEBEX_BENCH_MAX_SOCKETS', 0);
  if (maxSockets > 0) {
    require('http').globalAgent.maxSockets = maxSockets;
  }
  const webex = await listening();
  const seen = new Set();
  let first;
  let lastEventAt;
  const done = new Promise((resolve) => {
    webex.messages.on('created', (event) => {
      first = first || process.hrtime.bigint();
      lastEventAt = process.hrtime.bigint();
      seen.add(event.data.id);
      if (seen.size === total) {
        resolve();
      }
    });
  });
  const readyAt = process.hrtime.bigint();
  // Ends the wait once QUIET_MS passed without an event after the first one;
  // fails when no event came within PATIENCE_MS.
  const quiet = new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const now = process.hrtime.bigint();
      if (seen.size === total) {
        clearInterval(check);
        resolve();
      } else if (first && Number(now - lastEventAt) / 1e6 > QUIET_MS) {
        clearInterval(check);
        resolve();
      } else if (!first && Number(now - readyAt) / 1e6 > PATIENCE_MS) {
        clearInterval(check);
        reject(new Error(`no event within ${PATIENCE_MS} ms`));
      }
    }, 100);
  });

  const cpuStart = process.cpuUsage();
  say({ready: true});
  await Promise.race([done, quiet]);
  const wallNs = lastEventAt - first;
  const cpu = process.cpuUsage(cpuStart);
  say({
    client: 'webex (npm)',
    events: seen.size,
    lost: total - seen.size,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    wall_ms: Number(wallNs) / 1e6,
  });

  if (number('WEBEX_BENCH_RECONNECT', 0) === 1) {
    const {mercury} = webex.internal;
    const offline = new Promise((resolve) => {
      mercury.once('offline', resolve);
    });
    say({awaiting_drop: true});
    await patient(offline, PATIENCE_MS, 'the socket was not dropped');
    const online = new Promise((resolve) => {
      mercury.once('online', () => resolve(Date.now()));
    });
    const readyAt = await patient(online, PATIENCE_MS, 'no reconnect');
    say({reconnected_at_ms: readyAt});
  }

  return 0;
}

async function rss(loadSdk) {
  if (loadSdk) {
    await listening();
  }
  await sleep(number('WEBEX_BENCH_SETTLE_SECS', 10) * 1000);
  say({rss_kib: Math.round(process.memoryUsage().rss / 1024)});

  return 0;
}

async function main() {
  const mode = env('WEBEX_BENCH_MODE');
  switch (mode) {
    case 'listen':
      return listen();
    case 'rss':
      return rss(true);
    case 'bare':
      return rss(false);
    default:
      throw new Error(`WEBEX_BENCH_MODE=${mode}: expected listen, rss or bare`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`events.js: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  }
);
