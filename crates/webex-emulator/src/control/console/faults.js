// The fault panel of the chat page: a 429 with Retry-After or a 5xx for a path prefix, and
// closing Mercury sockets, all through POST /_emulator/faults.

import {$} from './dom.js';
import {admin} from './http.js';

/** Queues a fault; shows what the emulator answered. */
async function inject(body, what) {
  const result = $('fault-result');
  try {
    const answer = await admin('POST', '/_emulator/faults', body);
    result.textContent = answer && answer.sockets !== undefined
      ? `${what}: ${answer.sockets} socket(s) hit`
      : `${what}: queued`;
  } catch (error) {
    result.textContent = error.message;
  }
}

/** A positive whole number from an input, or the default. */
function count(id, otherwise) {
  const value = Number.parseInt($(id).value, 10);

  return Number.isFinite(value) && value > 0 ? value : otherwise;
}

/** The path prefix typed in an input, on `body` when there is one. */
function withPath(body, id) {
  const prefix = $(id).value.trim();
  if (prefix) {
    body.pathPrefix = prefix;
  }

  return body;
}

/** Wires the panel; `me()` is the person acted as (for "only this person's sockets"), or null. */
export function wireFaults(me) {
  $('fault-429').addEventListener('submit', (event) => {
    event.preventDefault();
    const retryAfter = Number.parseInt($('fault-429-retry').value, 10);
    const body = withPath({status: 429, count: count('fault-429-count', 1)}, 'fault-429-path');
    if (Number.isFinite(retryAfter) && retryAfter >= 0) {
      body.retryAfter = retryAfter;
    }
    inject(body, `429 on ${body.pathPrefix || 'any path'}`);
  });
  $('fault-5xx').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = withPath({status: Number($('fault-5xx-status').value), count: count('fault-5xx-count', 1)},
      'fault-5xx-path');
    inject(body, `${body.status} on ${body.pathPrefix || 'any path'}`);
  });
  $('fault-mercury').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {mercury: 'close', code: Number($('fault-mercury-code').value)};
    const person = me();
    if ($('fault-mercury-mine').checked && person) {
      body.personId = person.id;
    }
    inject(body, `close ${body.code}`);
  });
  $('faults-clear').addEventListener('click', async () => {
    try {
      await admin('DELETE', '/_emulator/faults');
      $('fault-result').textContent = 'faults cleared';
    } catch (error) {
      $('fault-result').textContent = error.message;
    }
  });
}
