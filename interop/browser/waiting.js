// Waiting for something a client was pushed: callers register a check that
// runs on every push until it finds what it waits for, or time runs out.

'use strict';

/** How long to wait for an expected observation. */
const WAIT_MS = 10000;

class Waiting {
  constructor() {
    this.checks = [];
  }

  /** Runs every pending check; call after each push. */
  wake() {
    for (const check of this.checks.slice()) {
      check();
    }
  }

  /**
   * Resolves with `find()`'s first truthy value, checked now and on every
   * wake; rejects with `explain()` after WAIT_MS.
   */
  until(find, explain) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          this.checks = this.checks.filter((c) => c !== check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.checks = this.checks.filter((c) => c !== check);
        reject(new Error(explain()));
      }, WAIT_MS);
      this.checks.push(check);
      check();
    });
  }
}

module.exports = {Waiting, WAIT_MS};
