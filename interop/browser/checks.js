// What the browser suite's checks share: assertions, dependencies between checks, polling.

'use strict';

/** Throws unless `cond`. */
function expect(cond, message) {
  if (!cond) {
    throw new Error(message);
  }
}

/** Throws at once when a check this one depends on failed. */
function needs(value, what) {
  if (!value) {
    throw new Error(`not run: ${what} failed`);
  }
}

/** Polls `fn` until it returns a truthy value (at most `ms`, 10 s by default); that value. */
async function eventually(what, fn, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = {expect, needs, eventually};
