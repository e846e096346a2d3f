// A tiny check runner for the Node suite: runs named checks in order, each
// with a timeout, records unhandled rejections, and writes the summary file
// that `cargo xtask interop` reads.

'use strict';

const fs = require('fs');
const path = require('path');

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 20000;

/**
 * Known gaps: checks that are expected to fail for now, from
 * interop/known-gaps.txt (`suite | check | why` per line, `#` comments).
 * None under `WEBEX_INTEROP_STRICT=1` (`cargo xtask interop --strict`).
 *
 * @param {string} suite `node` or `python`
 * @returns {Map<string, string>} check name -> why
 */
function loadKnownGaps(suite) {
  if (process.env.WEBEX_INTEROP_STRICT === '1') {
    return new Map();
  }
  const file = path.join(__dirname, '..', 'known-gaps.txt');
  const gaps = new Map();
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      continue;
    }
    const [s, check, ...why] = line.split('|').map((part) => part.trim());
    if (s === suite && check) {
      gaps.set(check, why.join(' | '));
    }
  }

  return gaps;
}

/** What went wrong, in a few lines: the message (for an HTTP error it names
 * the request and tracking id), else the start of the stack. */
function describe(error) {
  if (error === undefined || error === null) {
    return String(error);
  }
  const message = error.message !== undefined ? String(error.message) : String(error);
  const lines = message.split('\n').filter((line) => line.trim());
  const frame = error.stack ? String(error.stack).split('\n').find((l) => l.trim().startsWith('at ')) : '';
  if (error.name && !['Error'].includes(error.name) && !message.startsWith(error.name)) {
    lines[0] = `${error.name}: ${lines[0] || ''}`;
  }
  if (frame) {
    lines.push(frame.trim());
  }

  return lines.slice(0, 6).join('\n    ');
}

/** `{method} {base}{path}` on the admin API; the parsed body, if any. */
async function admin(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }

  return text ? JSON.parse(text) : null;
}

/** Runs checks and keeps the score. */
class Runner {
  constructor(suite) {
    this.suite = suite;
    this.knownGaps = loadKnownGaps(suite);
    this.results = [];
    this.current = null;
    this.unexpected = [];
    this.measures = [];
    const record = (kind) => (reason) => {
      this.unexpected.push({check: this.current || '(between checks)', kind, reason: describe(reason)});
      console.log(`  !! ${kind} during ${this.current || '(between checks)'}: ${describe(reason)}`);
    };
    process.on('unhandledRejection', record('unhandled rejection'));
    process.on('uncaughtException', record('uncaught exception'));
  }

  /**
   * Run one check: `fn()` must resolve (to 'success' when `expectSuccess`).
   *
   * @param {string} group resource the check belongs to
   * @param {string} name check name
   * @param {() => Promise<any>} fn the check
   * @param {{expectSuccess?: boolean}} options
   */
  async check(group, name, fn, {expectSuccess = false} = {}) {
    this.current = name;
    const before = this.unexpected.length;
    const start = Date.now();
    let error = null;
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000}s`)),
          CHECK_TIMEOUT_MS
        );
      });
      const result = await Promise.race([Promise.resolve().then(fn), timeout]);
      if (expectSuccess && result !== 'success') {
        throw new Error(`example resolved to ${JSON.stringify(result)}, not 'success'`);
      }
    } catch (e) {
      error = describe(e);
    } finally {
      clearTimeout(timer);
    }
    // Let rejections raised by the check's last steps surface while it is
    // still the current check.
    await new Promise((resolve) => setImmediate(resolve));
    if (!error && this.unexpected.length > before) {
      error = `unexpected ${this.unexpected[before].kind}: ${this.unexpected[before].reason}`;
    }
    this.current = null;
    const ms = Date.now() - start;
    const rejected = this.unexpected.length > before;
    const gap = this.knownGaps.get(name);
    let status;
    if (!error) {
      status = gap === undefined ? 'pass' : 'fixed';
    } else {
      // An unhandled rejection is never a known gap.
      status = gap === undefined || rejected ? 'fail' : 'known';
    }
    this.results.push({group, name, status, error, gap});
    const tag = {pass: 'ok   ', fail: 'FAIL ', known: 'gap  ', fixed: 'FIXED'}[status];
    console.log(`${tag} ${name} (${ms} ms)`);
    if (error) {
      console.log(`    ${error}`);
    }
    if (gap !== undefined) {
      console.log(
        status === 'known'
          ? `    known gap: ${gap}`
          : '    listed in interop/known-gaps.txt but passes now: remove it from there'
      );
    }
  }

  /**
   * Record a measurement (a latency, a size) for the summary: one line
   * `measure <name> <text>` after the counts, which xtask prints as is.
   *
   * @param {string} name one word, e.g. `create-to-joined`
   * @param {string} text the value with its unit
   */
  measure(name, text) {
    this.measures.push({name, text});
  }

  /**
   * Print the per-group table, write the summary file for xtask
   * (`$WEBEX_INTEROP_SUMMARY`), and return the exit code.
   */
  finish() {
    const groups = new Map();
    const tally = (key, status) => {
      if (!groups.has(key)) {
        groups.set(key, {total: 0, pass: 0, fail: 0, known: 0, fixed: 0});
      }
      const g = groups.get(key);
      g.total += 1;
      g[status] += 1;
    };
    for (const r of this.results) {
      tally(r.group, r.status);
    }
    // Rejections that no check owned still fail the run.
    const stray = this.unexpected.filter((u) => u.check === '(between checks)');
    for (const u of stray) {
      tally('unexpected', 'fail');
      this.results.push({group: 'unexpected', name: u.kind, status: 'fail', error: u.reason});
    }
    const total = {total: 0, pass: 0, fail: 0, known: 0, fixed: 0};
    for (const g of groups.values()) {
      for (const k of Object.keys(total)) {
        total[k] += g[k];
      }
    }
    groups.set('total', total);
    const lines = [];
    console.log(`\n${this.suite} suite: checks per resource`);
    for (const [key, g] of groups) {
      const line = `${key} checks=${g.total} passed=${g.pass + g.fixed} failed=${g.fail} known_gaps=${g.known} fixed_gaps=${g.fixed}`;
      lines.push(line);
      console.log(`  ${line}`);
    }
    const failed = this.results.filter((r) => r.status === 'fail');
    if (failed.length) {
      console.log('\nfailed:');
      for (const r of failed) {
        console.log(`  ${r.name}`);
      }
    }
    if (this.unexpected.length) {
      console.log(`\nunexpected rejections/exceptions: ${this.unexpected.length}`);
    }
    for (const {name, text} of this.measures) {
      lines.push(`measure ${name} ${text}`);
      console.log(`  ${name}: ${text}`);
    }
    if (process.env.WEBEX_INTEROP_SUMMARY) {
      fs.writeFileSync(process.env.WEBEX_INTEROP_SUMMARY, `${lines.join('\n')}\n`);
    }

    return total.fail === 0 && total.total > 0 ? 0 : 1;
  }
}

module.exports = {Runner, admin, describe};
