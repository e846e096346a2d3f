// Our SDK in the meeting: `sdk-observer.rs` (webex-meetings, built by
// `cargo xtask interop` as the example `interop-sdk-observer`) joins as the
// meeting's host and prints one JSON line per observation. The browser suite
// reads them to check what our SDK saw of the browser.

'use strict';

const {spawn} = require('child_process');

const {Waiting, WAIT_MS} = require('./waiting');

class SdkObserver {
  /**
   * Starts the observer binary for `meeting` as `person`, pointed at the
   * emulator at `base` through the SDK's `WEBEX_*` configuration.
   */
  constructor(binary, base, person, meeting) {
    this.seen = [];
    this.members = new Map();
    this.stderr = '';
    this.waiting = new Waiting();
    this.child = spawn(binary, [meeting], {
      env: {
        ...process.env,
        WEBEX_ACCESS_TOKEN: person.accessToken,
        WEBEX_SERVICES__DISCOVERY__U2C: `${base}/u2c/api/v1`,
        WEBEX_SERVICES__DISCOVERY__HYDRA: `${base}/v1`,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({code, signal})));
    let partial = '';
    this.child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines.filter((l) => l.trim())) {
        const seen = JSON.parse(line);
        this.seen.push(seen);
        if (seen.event === 'member' && seen.email) {
          this.members.set(seen.email.toLowerCase(), seen);
        }
      }
      this.waiting.wake();
    });
    this.child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
  }

  /** Resolves with `find()`'s first truthy value, checked on every line. */
  until(find, what) {
    return this.waiting.until(find, () => `our SDK never saw ${what}; it printed:\n` +
      `${this.seen.map(JSON.stringify).join('\n')}${this.stderr ? `\nstderr:\n${this.stderr}` : ''}`);
  }

  /** Resolves once an observation of `event` satisfies `pred`. */
  event(event, what, pred = () => true) {
    return this.until(() => this.seen.find((s) => s.event === event && pred(s)), what);
  }

  /** Resolves once the member with `email`, as last printed, satisfies `pred`. */
  member(email, what, pred) {
    return this.until(() => {
      const member = this.members.get(email.toLowerCase());
      return member && pred(member) && member;
    }, `${email} ${what}`);
  }

  /** Asks it to leave (a line on stdin), then waits for its exit. */
  async leave() {
    if (this.child.exitCode === null) {
      this.child.stdin.end('leave\n');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), WAIT_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

module.exports = {SdkObserver};
