// The browser suite's two assertions, shared by its check files.

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

module.exports = {expect, needs};
