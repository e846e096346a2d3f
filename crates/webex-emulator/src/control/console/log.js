// The request panel of the chat page: the emulator's recent requests, newest on top, kept
// live by its event stream (GET /_emulator/requests/stream).

import {$, clock, element} from './dom.js';
import {admin} from './http.js';

/** How many rows the panel keeps. */
const ROWS = 300;

/** The request numbers shown. */
const seen = new Set();

/** Adds one request to the panel (once; ordered by its number, newest on top). */
function addRow(entry) {
  if (seen.has(entry.seq)) {
    return;
  }
  seen.add(entry.seq);
  const body = $('log').tBodies[0];
  const row = element('tr');
  row.dataset.seq = entry.seq;
  row.dataset.status = entry.status;
  row.dataset.class = String(entry.status).charAt(0);
  row.dataset.path = entry.path;
  row.append(element('td', 'time', clock(entry.time)), element('td', 'method', entry.method),
    element('td', 'path', entry.path), element('td', 'status', entry.status),
    element('td', 'ms', Number(entry.durationMs).toFixed(1)), element('td', 'tracking', entry.trackingId));
  row.cells[2].title = entry.path;
  row.cells[5].title = entry.trackingId;
  const older = [...body.rows].find((other) => Number(other.dataset.seq) < entry.seq);
  body.insertBefore(row, older || null);
  while (body.rows.length > ROWS) {
    const last = body.rows[body.rows.length - 1];
    seen.delete(Number(last.dataset.seq));
    last.remove();
  }
}

/** Reads the recent list (at start, after a reconnect, after falling behind). */
async function loadRecent() {
  const recent = await admin('GET', '/_emulator/requests/recent');
  for (const entry of recent.items) {
    addRow(entry);
  }
}

/** Follows the request log live. */
export function followLog() {
  const source = new EventSource('/_emulator/requests/stream');
  const status = $('log-state');
  source.addEventListener('open', () => {
    // Possibly another emulator on the same port: start from its list.
    seen.clear();
    $('log').tBodies[0].replaceChildren();
    status.dataset.state = 'live';
    status.textContent = 'live';
    loadRecent().catch((error) => console.error(error));
  });
  source.addEventListener('request', (event) => addRow(JSON.parse(event.data)));
  source.addEventListener('lagged', () => loadRecent().catch((error) => console.error(error)));
  source.addEventListener('error', () => {
    status.dataset.state = 'reconnecting';
    status.textContent = 'reconnecting';
  });
}
