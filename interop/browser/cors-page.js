// The second-origin check: a page served by its own small HTTP server, on another origin than
// the emulator's (another host name and port: `http://localhost:<p>` against the emulator's
// `http://127.0.0.1:<q>`), loads the official SDK's browser bundle from that origin and lists
// rooms through the emulator. Every SDK call is then cross-origin: it needs the emulator's CORS
// answers (preflights for the SDK's headers, the headers it reads exposed by name;
// docs/protocol/http.md, "Browsers: CORS"), and a refusal would reach the SDK as status 0.
//
// Run from run.js with the Chromium it launched (`cargo xtask interop --suite browser`). By hand,
// against an emulator you started:
//   NODE_PATH=<cache>/browser/node_modules:<cache>/node/node_modules \
//   WEBEX_INTEROP_BASE_URL=http://127.0.0.1:8642 \
//   WEBEX_INTEROP_WEBEX_BUNDLE=<cache>/node/node_modules/webex/umd/webex.min.js \
//   node interop/browser/cors-page.js

'use strict';

const path = require('path');

const {serveFiles} = require('./static-files');
const {expect, needs} = require('./checks');

/** The page's host name: the other loopback name than the emulator's, so even the host differs. */
function pageHost(base) {
  return new URL(base).hostname === 'localhost' ? '127.0.0.1' : 'localhost';
}

/** Serves cors-page.html and the SDK bundle on a free loopback port, as `host`. */
function servePage(bundle, host) {
  return serveFiles({
    '/': {file: path.join(__dirname, 'cors-page.html'), type: 'text/html'},
    '/webex.min.js': {file: bundle, type: 'application/javascript'},
  }, host);
}

/** A Hydra call from Node as `token` (test setup); the parsed body. */
async function hydra(base, token, method, route, body) {
  const res = await fetch(`${base}/v1${route}`, {
    method,
    headers: {'authorization': `Bearer ${token}`, 'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} /v1${route}: ${res.status} ${text}`);
  }

  return text ? JSON.parse(text) : null;
}

/** Runs one page function; its value, or throws the SDK's error. */
async function inPage(page, fn, ...args) {
  const result = await page.evaluate(fn, ...args);
  if (!result.ok) {
    const {name, statusCode, message} = result.error;
    throw new Error(`${name || 'Error'}${statusCode === undefined ? '' : ` (status ${statusCode})`}: ${message}`);
  }

  return result.value;
}

/**
 * The checks, in a fresh browser context of `browser`.
 *
 * @param {object} o
 * @param {import('../node/harness').Runner} o.runner
 * @param {import('puppeteer-core').Browser} o.browser
 * @param {string} o.base the emulator's base URL
 * @param {(method: string, route: string, body?: object) => Promise<any>} o.admin the admin API
 * @param {string} o.bundle path of `webex/umd/webex.min.js`
 */
async function corsPageChecks({runner, browser, base, admin, bundle}) {
  const group = 'cors';
  const stamp = Date.now();
  const titles = [`CORS room one ${stamp}`, `CORS room two ${stamp}`, `CORS room three ${stamp}`];
  const {server, origin} = await servePage(bundle, pageHost(base));
  const context = await browser.createBrowserContext();
  const problems = [];
  try {
    let person;
    await runner.check(group, 'cors: admin + Hydra: a person with three rooms', async () => {
      person = await admin('POST', '/_emulator/people',
        {type: 'person', displayName: 'Cora Origin', email: `cora-${stamp}@example.com`});
      for (const title of titles) {
        await hydra(base, person.accessToken, 'POST', '/rooms', {title});
      }
    });

    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // Chromium reports a CORS refusal on the console (the SDK only sees status 0).
    page.on('console', (m) => {
      if (/CORS|Access-Control/i.test(m.text())) {
        problems.push(`console: ${m.text()}`);
      }
    });
    let ready;
    await runner.check(group, 'cors: a page on a second origin loads the SDK bundle and Webex.init()s against the emulator',
      async () => {
        needs(person, 'the setup');
        await page.goto(`${origin}/`);
        const pageOrigin = await page.evaluate(() => location.origin);
        expect(pageOrigin === origin && pageOrigin !== new URL(base).origin,
          `the page's origin ${pageOrigin}, the emulator's ${new URL(base).origin}`);
        await inPage(page, (o) => window.initSdk(o), {base, token: person.accessToken});
        ready = true;
      });

    await runner.check(group, 'cors: rooms.list() from the second origin lists the rooms, one Link page each', async () => {
      needs(ready, 'Webex.init');
      const listed = await inPage(page, () => window.listRooms());
      const missing = titles.filter((title) => !listed.titles.includes(title));
      expect(missing.length === 0, `missing ${JSON.stringify(missing)} in ${JSON.stringify(listed.titles)}`);
      expect(listed.pages >= titles.length, `${listed.pages} pages: the SDK did not follow Link`);
    });

    await runner.check(group, 'cors: the SDK reads trackingid and link, and no header left unexposed', async () => {
      needs(ready, 'Webex.init');
      const seen = await inPage(page, (r) => window.rawRequest(r), 'rooms?max=1');
      expect(seen.headers.trackingid && seen.headers.trackingid === seen.sent,
        `trackingid read ${JSON.stringify(seen.headers.trackingid)}, sent ${JSON.stringify(seen.sent)}`);
      expect(/rel="next"/.test(seen.headers.link || ''), `link read ${JSON.stringify(seen.headers.link)}`);
      // The emulator sends `date` but does not expose it: the browser hides it from a page on
      // another origin, which shows the call really was cross-origin.
      expect(seen.headers.date === undefined, `date is readable: ${JSON.stringify(seen.headers)}`);
    });

    await runner.check(group, 'cors: a 429 reaches the page with its Retry-After and tracking id', async () => {
      needs(ready, 'Webex.init');
      await admin('POST', '/_emulator/faults',
        {status: 429, retryAfter: 7, count: 1, pathPrefix: '/v1/people/me', method: 'GET'});
      const failed = await inPage(page, () => window.failingMe());
      expect(failed.statusCode === 429, `status ${failed.statusCode} (${failed.name}): not readable cross-origin?`);
      expect(String(failed.retryAfter) === '7', `retryAfter ${JSON.stringify(failed.retryAfter)}`);
      expect(failed.headers && failed.headers.trackingid, `no trackingid in ${JSON.stringify(failed.headers)}`);
    });

    await runner.check(group, 'cors: no CORS refusal or page error on the second origin', () => {
      expect(problems.length === 0, problems.join('\n'));
    });
  } finally {
    await admin('DELETE', '/_emulator/faults').catch(() => {});
    await context.close();
    server.close();
  }
}

module.exports = {corsPageChecks};

/** Standalone: the checks alone, in a Chromium of their own. */
async function main() {
  const puppeteer = require('puppeteer-core');
  const {Runner, admin} = require('../node/harness');
  const base = process.env.WEBEX_INTEROP_BASE_URL;
  const bundle = process.env.WEBEX_INTEROP_WEBEX_BUNDLE;
  if (!base || !bundle) {
    throw new Error('WEBEX_INTEROP_BASE_URL and WEBEX_INTEROP_WEBEX_BUNDLE must be set');
  }
  const runner = new Runner('browser');
  const browser = await puppeteer.launch({
    executablePath: process.env.WEBEX_INTEROP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
  });
  try {
    await corsPageChecks({runner, browser, base, admin: (m, r, b) => admin(base, m, r, b), bundle});
  } finally {
    await browser.close();
  }
  process.exitCode = runner.finish();
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`cors page: ${error.stack || error}`);
    process.exitCode = 1;
  });
}
