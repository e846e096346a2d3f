// The official JS SDK's own OAuth helpers (plugin-authorization-node and
// webex-core's credentials) against the emulator's idbroker: the code
// exchange `webex.authorization.requestAuthorizationCodeGrant`, refresh
// (`webex.credentials.refresh()`, and the SDK's own refresh after a 401),
// and a refresh token that ran out (the SDK's InvalidGrantError, its
// `client:InvalidRequestError` event, its credentials cleared).
//
// The code comes from the emulator's authorize form, posted as a browser
// would (the browser itself is the browser suite's). Run by run.js.

'use strict';

const assert = require('assert');

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** The emulator's consent form, accepted as `email`; the code in the redirect. */
async function codeFor(base, clientId, email) {
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'spark:all',
    state: 'node-oauth',
    email,
    consent: 'accept',
  });
  const res = await fetch(`${base}/idb/oauth2/v1/authorize`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: form.toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 302, await res.text());
  const location = new URL(res.headers.get('location'));
  assert.equal(location.searchParams.get('state'), 'node-oauth');
  const code = location.searchParams.get('code');
  assert(code, `no code in ${location}`);

  return code;
}

/** The token endpoint's requests of `clientId` so far (the emulator's log). */
async function tokenRequests(admin, clientId) {
  const log = await admin('GET', '/_emulator/oauth/token-requests');

  return log.items.filter((item) => item.clientId === clientId);
}

/**
 * The checks, in group `authorization` of `runner`, against the emulator at
 * `base`; `admin(method, path, body)` is its admin API, `connectIntegration`
 * comes from webex-node.js.
 */
async function oauthChecks({runner, base, admin, connectIntegration, filter}) {
  const group = 'authorization';
  const checks = [];
  const check = (name, fn) => checks.push({name, fn});

  let person;
  let client;
  let webex;
  let firstToken;
  check('admin: a person and an integration', async () => {
    person = await admin('POST', '/_emulator/people',
      {type: 'person', displayName: 'Node Integration User', email: `node-oauth-${process.pid}@example.com`});
    client = await admin('POST', '/_emulator/oauth/clients', {redirectUris: [REDIRECT_URI], scopes: ['spark:all']});
  });
  check('authorization.requestAuthorizationCodeGrant({code}) signs in', async () => {
    // No `scope` in the config: the emulator's tokens carry no `scope` field,
    // and with one configured the SDK reports a scope mismatch to client
    // metrics at every refresh; once this test clears the credentials, that
    // metrics batch can no longer be authorized and rejects unhandled.
    webex = connectIntegration(base, {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uri: REDIRECT_URI,
    });
    const code = await codeFor(base, client.clientId, person.email);
    await webex.authorization.requestAuthorizationCodeGrant({code});
    assert(webex.canAuthorize, 'the SDK cannot authorize after the exchange');
    firstToken = webex.credentials.supertoken.access_token;
    assert(firstToken && webex.credentials.supertoken.refresh_token, 'no access or refresh token');
    const me = await webex.people.get('me');
    assert.equal(me.displayName, person.displayName);
    const requests = await tokenRequests(admin, client.clientId);
    assert.deepEqual(requests.map((r) => [r.grantType, r.status]), [['authorization_code', 200]]);
  });
  check('credentials.refresh() gets a new access token that works', async () => {
    assert(webex, 'not run: the sign-in failed');
    await webex.credentials.refresh();
    const refreshed = webex.credentials.supertoken.access_token;
    assert(refreshed && refreshed !== firstToken, 'the access token did not change');
    const me = await webex.people.get('me');
    assert.equal(me.id, person.id);
  });
  check('after a 401 the SDK refreshes by itself and replays the request', async () => {
    assert(webex, 'not run: the sign-in failed');
    const before = webex.credentials.supertoken.access_token;
    const expired = await admin('POST', '/_emulator/oauth/expire', {token: before});
    assert.equal(expired.expired, true);
    const me = await webex.people.get('me');
    assert.equal(me.id, person.id);
    assert.notEqual(webex.credentials.supertoken.access_token, before, 'no refresh happened');
    const refreshes = (await tokenRequests(admin, client.clientId)).filter((r) => r.grantType === 'refresh_token');
    assert.deepEqual(refreshes.map((r) => r.status), [200, 200]);
  });
  check('an expired refresh token: credentials.refresh() rejects with InvalidGrantError', async () => {
    assert(webex, 'not run: the sign-in failed');
    const {refresh_token: refreshToken} = webex.credentials.supertoken;
    const expired = await admin('POST', '/_emulator/oauth/expire', {token: refreshToken});
    assert.equal(expired.expired, true);
    let invalidRequestEvents = 0;
    webex.on('client:InvalidRequestError', () => {
      invalidRequestEvents += 1;
    });
    const error = await webex.credentials.refresh().then(
      () => assert.fail('the refresh succeeded'),
      (e) => e
    );
    assert.equal(error.name, 'InvalidGrantError', `${error.name}: ${error.message}`);
    assert.equal(invalidRequestEvents, 1, 'no client:InvalidRequestError event');
    assert(!webex.credentials.supertoken, 'the SDK kept its credentials');
    const last = (await tokenRequests(admin, client.clientId)).pop();
    assert.deepEqual([last.grantType, last.status, last.error], ['refresh_token', 400, 'invalid_grant']);
  });

  for (const {name, fn} of checks.filter((c) => c.name.includes(filter))) {
    await runner.check(group, name, fn);
  }
}

module.exports = {oauthChecks};
