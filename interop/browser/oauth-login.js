// The browser test of our `oauth-login` example (examples/oauth-login): Chromium plays the
// user. The example prints `open: <authorize URL>`; Chromium opens it on the emulator's
// idbroker, types the email, accepts; the broker redirects to the example's loopback
// listener; the example exchanges the code, calls people/me and saves its tokens. A second
// run reuses the token file (no `open:` line). Then the idbroker's browser session: a new
// sign-in in the same browser skips the login form (the session cookie), and the browser
// logout (`GET .../logout?goto=`) ends that session and lands on `goto`.
//
// Run from run.js with the Chromium it launched; the binary comes from
// $WEBEX_INTEROP_OAUTH_LOGIN (`cargo xtask interop` builds it).

'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const readline = require('readline');

const {expect} = require('./checks');

/** A free loopback port (the integration's redirect URI must name a fixed one). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * One run of the example: its stdout lines, a promise of its `open:` URL (null when it ends
 * without one), and a promise of its exit code.
 */
function runExample(binary, env, tokenFile) {
  const child = spawn(binary, ['--token-file', tokenFile], {
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let gotUrl;
  const url = new Promise((resolve) => {
    gotUrl = resolve;
  });
  readline.createInterface({input: child.stdout}).on('line', (line) => {
    lines.push(line);
    if (line.startsWith('open: ')) {
      gotUrl(line.slice('open: '.length));
    }
  });
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      gotUrl(null);
      resolve({code, signal});
    });
  });

  return {
    lines,
    url,
    exit,
    stderr: () => stderr,
    kill: () => child.kill('SIGINT'),
  };
}

/** Waits for the run to end with 0 and to say who signed in; that line. */
async function finished(run, person) {
  const {code, signal} = await run.exit;
  expect(code === 0, `oauth-login exited with ${code ?? signal}:\n${run.lines.join('\n')}\n${run.stderr()}`);
  const expected = `signed in as ${person.displayName} (${person.email})`;
  expect(run.lines.includes(expected), `no "${expected}" line in:\n${run.lines.join('\n')}`);

  return expected;
}

/** Opens `url` in `page`; the page's sign-in form state: whether it asks for the email. */
async function openAuthorize(page, url) {
  await page.goto(url);
  await page.waitForSelector('#accept');

  return (await page.$('#email')) !== null;
}

/** Presses Accept and waits for the example's "Signed in" page. */
async function accept(page) {
  await Promise.all([page.waitForNavigation(), page.click('#accept')]);
  const text = await page.evaluate(() => document.body.innerText);
  expect(text.includes('Signed in'), `the redirect page says: ${text}`);
}

/**
 * The checks, in the `oauth-login` group of `runner`, with `browser` (puppeteer) against
 * the emulator at `base`; `admin(method, path, body)` is the admin API.
 */
async function oauthLoginChecks({runner, browser, base, admin, binary}) {
  const group = 'oauth-login';
  if (!binary) {
    await runner.check(group, 'oauth-login: the example binary is given', () => {
      throw new Error('WEBEX_INTEROP_OAUTH_LOGIN is not set');
    });

    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-oauth-login-'));
  const tokenFile = path.join(dir, 'tokens.json');
  const context = await browser.createBrowserContext();
  const runs = [];
  const start = (env) => {
    const run = runExample(binary, env, tokenFile);
    runs.push(run);

    return run;
  };
  try {
    let person;
    let env;
    await runner.check(group, 'admin: a person and an integration with a loopback redirect URI', async () => {
      person = await admin('POST', '/_emulator/people',
        {type: 'person', displayName: 'Oona Oauth', email: `oona-${Date.now()}@example.com`});
      const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
      const client = await admin('POST', '/_emulator/oauth/clients',
        {redirectUris: [redirectUri], scopes: ['spark:all']});
      env = {
        WEBEX_CLIENT_ID: client.clientId,
        WEBEX_CLIENT_SECRET: client.clientSecret,
        WEBEX_REDIRECT_URI: redirectUri,
        WEBEX_IDBROKER_URL: base,
        WEBEX_SERVICES__DISCOVERY__U2C: `${base}/u2c/api/v1`,
        WEBEX_SERVICES__DISCOVERY__HYDRA: `${base}/v1`,
      };
    });
    if (!env) {
      return;
    }
    const page = await context.newPage();

    let signedIn = false;
    await runner.check(group, 'oauth-login: Chromium signs in on the printed open: URL, the example gets a working token', async () => {
      const run = start(env);
      const url = await run.url;
      expect(url, `no open: line:\n${run.lines.join('\n')}\n${run.stderr()}`);
      const asksEmail = await openAuthorize(page, url);
      expect(asksEmail, 'the first sign-in shows no email field');
      await page.type('#email', person.email);
      await accept(page);
      await finished(run, person);
      signedIn = true;
    });

    await runner.check(group, 'oauth-login: the token file is 0600', () => {
      expect(signedIn, 'not run: the sign-in failed');
      const mode = fs.statSync(tokenFile).mode & 0o777;
      expect(mode === 0o600, `mode ${mode.toString(8)}`);
    });

    await runner.check(group, 'oauth-login: a second run needs no sign-in (no open: line)', async () => {
      expect(signedIn, 'not run: the sign-in failed');
      const run = start(env);
      await finished(run, person);
      expect(!run.lines.some((line) => line.startsWith('open: ')), `an open: line:\n${run.lines.join('\n')}`);
    });

    await runner.check(group, 'idbroker: a new sign-in in the same browser skips the login form (session cookie)', async () => {
      expect(signedIn, 'not run: the sign-in failed');
      fs.rmSync(tokenFile);
      const run = start(env);
      const url = await run.url;
      expect(url, `no open: line:\n${run.lines.join('\n')}`);
      const asksEmail = await openAuthorize(page, url);
      expect(!asksEmail, 'the browser has a session, yet the page asks for the email again');
      const shown = await page.$eval('#signed-in', (e) => e.textContent);
      expect(shown.includes(person.email), `the page says "${shown}", not ${person.email}`);
      await accept(page);
      await finished(run, person);
    });

    await runner.check(group, 'idbroker: browser logout?goto= ends the session and lands on goto', async () => {
      expect(signedIn, 'not run: the sign-in failed');
      const target = `${base}/_emulator/health`;
      const logout = `${base}/idb/oauth2/v1/logout?cisService=common-identity&goto=${encodeURIComponent(target)}`;
      const response = await page.goto(logout);
      expect(page.url() === target, `landed on ${page.url()}, not ${target}`);
      expect(response.status() === 200, `goto answered ${response.status()}`);
      fs.rmSync(tokenFile);
      const run = start(env);
      const url = await run.url;
      expect(url, `no open: line:\n${run.lines.join('\n')}`);
      expect(await openAuthorize(page, url), 'after the logout the page does not ask for the email');
      await page.type('#email', person.email);
      await accept(page);
      await finished(run, person);
    });
  } finally {
    for (const run of runs) {
      run.kill();
    }
    await context.close();
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

module.exports = {oauthLoginChecks};
