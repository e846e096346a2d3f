// The JS SDK's device manager (`webex.devicemanager`, plugin-device-manager
// with internal-plugin-lyra and internal-plugin-search) against the
// emulator's simulated room devices: search, PIN request and pairing (a wrong
// PIN first), the audio calls, recents, ultrasound lookup, unpair and remove,
// `lyra.space_updated` reaching the SDK's Mercury, bindSpace/unbindSpace
// (their kmsMessage wrapped by the SDK's KMS client and carried out by the
// emulator's KMS; also with a room's own conversation and its
// kmsResourceObjectUrl, as the SDK's device-manager sample binds), and device names that WDM sends encrypted. Each check
// creates its own room device with the admin API (`env.createRoomDevice`,
// `env.shownPin`, `env.setRoomVolume`).

'use strict';

const assert = require('assert');

/** The SDK ready and its device registered (Lyra pairs with the WDM device). */
async function registered(webex) {
  if (!webex.ready) {
    await new Promise((resolve) => webex.once('ready', resolve));
  }
  await webex.internal.device.register();
}

/** `promise` rejects with an HTTP error of `status`. */
async function rejectsWith(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.statusCode, status, `status of ${e.message}`);

    return;
  }
  assert.fail(`expected a ${status}`);
}

/** Finds the device by search, asks for a PIN, pairs; the space. */
async function pair(webex, env, device) {
  const found = await webex.devicemanager.search({searchQuery: device.name});
  const item = found.items.find((i) => i.id === device.id);
  assert(item, `search found ${device.name}`);
  const space = await webex.devicemanager.requestPin(item);
  await webex.devicemanager.pair({pin: await env.shownPin(device.id)});

  return space;
}

module.exports = [
  {
    name: 'devicemanager: search, requestPin, a wrong PIN, pair, unpair',
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Boardroom ${process.pid}`);
      const found = await webex.devicemanager.search({searchQuery: 'node boardroom'});
      const item = found.items.find((i) => i.id === device.id);
      assert.equal(item.displayName, device.name);
      const space = await webex.devicemanager.requestPin(item);
      assert.equal(space.identity.id, device.id);
      assert.equal(space.occupants.pinChallenge, true);
      const pin = await env.shownPin(device.id);
      await rejectsWith(webex.devicemanager.pair({pin: pin === '000000' ? '000001' : '000000'}), 403);
      const paired = await webex.devicemanager.pair({pin});
      assert.equal(paired.id, device.id);
      assert.equal(paired.metadata.userAssignedName, device.name);
      assert.deepEqual((await env.roomDevice(device.id)).pairedPersonIds.length, 1);
      await webex.devicemanager.unpair();
      assert.deepEqual((await env.roomDevice(device.id)).pairedPersonIds, []);

      return 'success';
    },
  },
  {
    name: 'devicemanager: getAudioState, setVolume, increase/decreaseVolume, mute, unmute, putAudioState',
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Huddle ${process.pid}`);
      const space = await pair(webex, env, device);
      const dm = webex.devicemanager;
      const audio = await dm.getAudioState();
      assert.equal(audio.volume.level, 50);
      assert.equal(audio.microphones.muted, false);
      assert.equal((await dm.setVolume(100)).body.volume.level, 100);
      assert.equal((await dm.increaseVolume()).body.volume.level, 100);
      assert.equal((await dm.setVolume(0)).body.volume.level, 0);
      assert.equal((await dm.decreaseVolume()).body.volume.level, 0);
      assert.equal((await dm.increaseVolume()).body.volume.level, 5);
      await rejectsWith(dm.setVolume(101), 400);
      await dm.mute();
      assert.equal((await env.roomDevice(device.id)).muted, true);
      await dm.unmute();
      assert.equal((await dm.getAudioState()).microphones.muted, false);
      const put = await dm.putAudioState(space, {
        deviceUrl: webex.internal.device.url,
        volume: {level: 35},
        microphones: {muted: true},
      });
      assert.equal(put.volume.level, 35);
      const state = await env.roomDevice(device.id);
      assert.equal(state.volume, 35);
      assert.equal(state.muted, true);
      await dm.unpair();

      return 'success';
    },
  },
  {
    name: 'devicemanager: refresh, upsert, get by ultrasound token, remove',
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Desk ${process.pid}`);
      const dm = webex.devicemanager;
      assert.deepEqual(await dm.refresh(), []);
      const advertised = await dm.get(device.ultrasoundToken);
      assert.equal(advertised.advertiser.id, device.id);
      assert.equal(advertised.advertiser.displayName, device.name);
      const upserted = await dm.upsert({id: device.id});
      assert.equal(upserted.deviceInfo.machineType, 'LYRA_SPACE');
      const recents = await dm.refresh();
      assert.deepEqual(recents.map((d) => d.id), [device.id]);
      // WDM sends the name encrypted. refresh() decrypts a copy but keeps the raw
      // items (the JS SDK's collection is filled from res.body.items), so the
      // name is decrypted here with the SDK's KMS client, from the same fields.
      const {encryptedUserAssignedName, encryptionKeyUrl} = recents[0].metadata;
      assert.ok(encryptionKeyUrl.startsWith('kms://'), encryptionKeyUrl);
      assert.equal(
        await webex.internal.encryption.decryptText(encryptionKeyUrl, encryptedUserAssignedName),
        device.name
      );
      await dm.remove(device.id);
      assert.deepEqual(await dm.refresh(), []);
      await rejectsWith(dm.remove(device.id), 404);

      return 'success';
    },
  },
  {
    name: 'devicemanager: a change on the device reaches the SDK as lyra.space_updated',
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Lobby ${process.pid}`);
      await webex.internal.mercury.connect();
      const space = await pair(webex, env, device);
      const updated = new Promise((resolve) => {
        webex.internal.mercury.on('event:lyra.space_updated', ({data}) => resolve(data));
      });
      await env.setRoomVolume(device.id, 15);
      const data = await updated;
      assert.equal(data.spaceUrl, space.url);
      assert.equal((await webex.devicemanager.getAudioState()).volume.level, 15);
      await webex.devicemanager.unpair();
      await webex.internal.mercury.disconnect();

      return 'success';
    },
  },
  {
    name: 'devicemanager: bindSpace and unbindSpace authorize the space on the KMS resource',
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Bind ${process.pid}`);
      await pair(webex, env, device);
      const {kms} = webex.internal.encryption;
      const [key] = await kms.createUnboundKeys({count: 1});
      const kro = await kms.createResource({userIds: [webex.internal.device.userId], key});
      const url = `${webex.internal.services.get('conversation')}/conversations/${device.id}`;
      await webex.devicemanager.bindSpace({url, kmsResourceObjectUrl: kro.uri});
      assert.deepEqual((await env.roomDevice(device.id)).boundConversationUrls, [url]);
      let auths = await kms.listAuthorizations({kro});
      assert(auths.some((a) => a.authId === device.id), 'the space is authorized');
      await webex.devicemanager.unbindSpace();
      assert.deepEqual((await env.roomDevice(device.id)).boundConversationUrls, []);
      auths = await kms.listAuthorizations({kro});
      assert(!auths.some((a) => a.authId === device.id), 'the authorization is gone');
      await webex.devicemanager.unpair();

      return 'success';
    },
  },
  {
    name: "devicemanager: bindSpace with a room's conversation and its kmsResourceObjectUrl",
    async example(webex, env) {
      await registered(webex);
      const device = await env.createRoomDevice(`Node Room Bind ${process.pid}`);
      await pair(webex, env, device);
      const room = await webex.rooms.create({title: 'Bound room'});
      const uuid = Buffer.from(room.id, 'base64').toString().split('/').pop();
      const url = `${webex.internal.services.get('conversation')}/conversations/${uuid}`;
      const conversation = await webex.internal.conversation.get({url}, {
        url,
        includeParticipants: false,
        participantsLimit: 0,
      });
      const {kmsResourceObjectUrl} = conversation;
      assert.match(kmsResourceObjectUrl, /^kms:\/\/[^/]+\/resources\//);
      await webex.devicemanager.bindSpace({url, kmsResourceObjectUrl});
      assert.deepEqual((await env.roomDevice(device.id)).boundConversationUrls, [url]);
      const {kms} = webex.internal.encryption;
      const kro = {uri: kmsResourceObjectUrl};
      let auths = await kms.listAuthorizations({kro});
      assert(auths.some((a) => a.authId === device.id), 'the space is authorized');
      assert(auths.some((a) => a.authId === webex.internal.device.userId), 'the member is');
      await webex.devicemanager.unbindSpace();
      auths = await kms.listAuthorizations({kro});
      assert(!auths.some((a) => a.authId === device.id), 'the authorization is gone');
      await webex.devicemanager.unpair();

      return 'success';
    },
  },
];
