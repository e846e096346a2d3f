// The official SDK's KMS client (`webex.internal.encryption`, npm
// @webex/internal-plugin-encryption with node-kms and node-jose, unmodified)
// against the emulator's KMS: discovery and its certificate check, the ECDHE
// handshake (a JWE to the KMS's RSA key, a signed JWS back over Mercury), key
// requests under the shared key, a text the emulator encrypted, and a wrapped
// `kmsMessage` the emulator opens. Not seed examples: the SDK's API docs do
// not document the internal plugin.

'use strict';

const assert = require('assert');

/**
 * Resolves once the instance has loaded its plugins (`ready`): a KMS request
 * registers the device at once, and registration needs the metrics plugin.
 */
function ready(webex) {
  return webex.ready ? Promise.resolve() : new Promise((resolve) => webex.once('ready', resolve));
}

/** The person's uuid: the last part of the decoded Hydra id. */
async function myUuid(webex) {
  const me = await webex.people.get('me');

  return Buffer.from(me.id, 'base64').toString('utf8').split('/').pop();
}

module.exports = [
  {
    name: 'kms: createUnboundKeys({count: 2}), then fetchKey of one returns the same key',
    async example(webex) {
      await ready(webex);
      const {kms} = webex.internal.encryption;
      const keys = await kms.createUnboundKeys({count: 2});
      assert.equal(keys.length, 2);
      assert.ok(keys[0].uri.startsWith('kms://'), keys[0].uri);
      assert.equal(keys[0].jwk.kty, 'oct');
      const fetched = await kms.fetchKey({uri: keys[1].uri});
      assert.equal(fetched.uri, keys[1].uri);
      assert.equal(fetched.jwk.toJSON(true).k, keys[1].jwk.toJSON(true).k);
      await kms.ping();

      return 'success';
    },
  },
  {
    name: 'kms: createResource, addAuthorization, listAuthorizations, removeAuthorization',
    async example(webex) {
      const {kms} = webex.internal.encryption;
      const uuid = await myUuid(webex);
      const [key] = await kms.createUnboundKeys({count: 1});
      const kro = await kms.createResource({userIds: [uuid], key});
      assert.ok(kro.uri.startsWith('kms://'), kro.uri);
      const added = await kms.addAuthorization({kro, authIds: ['space-1']});
      assert.equal(added[0].authId, 'space-1');
      let list = await kms.listAuthorizations({kro});
      assert.deepEqual(list.map((a) => a.authId).sort(), [uuid, 'space-1'].sort());
      await kms.removeAuthorization({kro, authId: 'space-1'});
      list = await kms.listAuthorizations({kro});
      assert.deepEqual(list.map((a) => a.authId), [uuid]);

      return 'success';
    },
  },
  {
    name: 'kms: encryption.decryptText of a text the emulator encrypted',
    async example(webex, env) {
      const personId = (await webex.people.get('me')).id;
      const {keyUri, jwe} = await env.admin('POST', '/_emulator/kms/encrypt', {
        personId,
        text: 'Meeting room 4 ✓',
      });
      const text = await webex.internal.encryption.decryptText(keyUri, jwe);
      assert.equal(text, 'Meeting room 4 ✓');

      return 'success';
    },
  },
  {
    name: "kms: a kmsMessage the SDK wraps (prepareRequest) is opened by the emulator",
    async example(webex, env) {
      await ready(webex);
      const {kms} = webex.internal.encryption;
      await webex.internal.mercury.connect();
      const request = {method: 'create', uri: '/authorizations', resourceUri: 'kms://x/resources/1', userIds: ['s']};
      const req = await kms.prepareRequest(request);
      const opened = await env.admin('POST', '/_emulator/kms/open', {kmsMessage: req.wrapped});
      assert.equal(opened.method, 'create');
      assert.equal(opened.uri, '/authorizations');
      assert.deepEqual(opened.userIds, ['s']);
      assert.equal(opened.client.clientId, webex.internal.device.url);
      assert.equal(opened.client.credential.userId, webex.internal.device.userId);

      return 'success';
    },
  },
];
