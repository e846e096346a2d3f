// The environment of the bench clients (rest.js, events.js).

'use strict';

/** A required environment variable. */
function env(name) {
  const value = (process.env[name] || '').trim();
  if (!value) {
    throw new Error(`set ${name}`);
  }

  return value;
}

/** An optional numeric environment variable. */
function number(name, fallback) {
  const value = process.env[name];

  return value ? Number.parseInt(value, 10) : fallback;
}

module.exports = {env, number};
