// The browser interop suite: the official JS SDK's browser bundle (npm
// `webex`, `umd/webex.min.js`) runs in Debian's headless Chromium, driven by
// puppeteer-core, against the emulator at $WEBEX_INTEROP_BASE_URL:
// meetings.register(), meetings.create(<a meeting made with the admin API>),
// join(), mute and unmute (a member control on itself), a reaction, addMedia()
// with Chromium's fake microphone (exchanged with our SDK's tone through the emulator's media
// server), leave().
// In the same meeting, our SDK (webex-meetings: sdk-observer.rs, driven by
// sdk-observer.js) as the host and a plain Mercury client (observer.js) as
// another attendee must see the browser join, mute, unmute, react and leave;
// the emulator's neutral view of the meeting must agree. Then Chromium signs our oauth-login
// example in (oauth-login.js), and a page on a second origin lists rooms with the bundle through
// the emulator's CORS answers (cors-page.js).
//
// Run by `cargo xtask interop` (which installs everything and sets the
// environment below). By hand:
//   NODE_PATH=<cache>/browser/node_modules:<cache>/node/node_modules \
//   WEBEX_INTEROP_BASE_URL=http://127.0.0.1:8642 \
//   WEBEX_INTEROP_CHROMIUM=/usr/bin/chromium \
//   WEBEX_INTEROP_WEBEX_BUNDLE=<cache>/node/node_modules/webex/umd/webex.min.js \
//   WEBEX_INTEROP_SDK_OBSERVER=<target>/debug/examples/interop-sdk-observer \
//   WEBEX_INTEROP_OAUTH_LOGIN=<target>/debug/examples/oauth-login \
//   WEBEX_INTEROP_ECHO_BOT=<target>/debug/examples/echo-bot \
//   CI_ARTIFACTS_DIR=<folder for chat-page.png> \
//   node interop/browser/run.js

'use strict';

const path = require('path');
const puppeteer = require('puppeteer-core');

const {Runner, admin: adminAt, describe} = require('../node/harness');
const {Observer} = require('./observer');
const {SdkObserver} = require('./sdk-observer');
const {oauthLoginChecks} = require('./oauth-login');
const {corsPageChecks} = require('./cors-page');
const {chatPageChecks} = require('./chat-page');
const {expect, needs, eventually} = require('./checks');
const {serveFiles} = require('./static-files');

const BASE = process.env.WEBEX_INTEROP_BASE_URL;
const CHROMIUM = process.env.WEBEX_INTEROP_CHROMIUM || '/usr/bin/chromium';
const BUNDLE = process.env.WEBEX_INTEROP_WEBEX_BUNDLE;
const SDK_OBSERVER = process.env.WEBEX_INTEROP_SDK_OBSERVER;
const OAUTH_LOGIN = process.env.WEBEX_INTEROP_OAUTH_LOGIN;
const ECHO_BOT = process.env.WEBEX_INTEROP_ECHO_BOT;

/**
 * Chromium's flags: no sandbox (CI runs as root), fake camera and
 * microphone (a 400 Hz beep), remote audio played without a user gesture, loopback ICE candidates as plain IPs (the reachability check
 * runs against the emulator's loopback STUN responder), and no DNS: every
 * name but loopback fails, so nothing the page does leaves the machine.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

/** `{method} {BASE}{path}` on the admin API; the parsed body. */
function admin(method, route, body) {
  return adminAt(BASE, method, route, body);
}

/** Serves the page and the SDK bundle on a free loopback port; its origin. */
function servePage() {
  return serveFiles({
    '/': {file: path.join(__dirname, 'index.html'), type: 'text/html'},
    '/webex.min.js': {file: BUNDLE, type: 'application/javascript'},
  });
}

/** Runs one page function; its value, or throws the SDK's error. */
async function inPage(page, fn, ...args) {
  const result = await page.evaluate(fn, ...args);
  if (!result.ok) {
    const error = new Error(`${result.error.name || 'Error'}${result.error.code ? ` ${result.error.code}` : ''}: ` +
      `${result.error.message}\n${result.error.stack || ''}`);
    throw error;
  }

  return result.value;
}

/** The emulator's neutral view of the browser's participant. */
async function emulatorParticipant(meetingNumber, email) {
  const meeting = await admin('GET', `/_emulator/meetings/${meetingNumber}`);
  const participants = (meeting.locus && meeting.locus.participants) || [];

  return participants.find((p) => p.person && String(p.person.email).toLowerCase() === email.toLowerCase());
}

async function main() {
  if (!BASE || !BUNDLE || !SDK_OBSERVER) {
    throw new Error('WEBEX_INTEROP_BASE_URL, WEBEX_INTEROP_WEBEX_BUNDLE and WEBEX_INTEROP_SDK_OBSERVER must be set');
  }
  const runner = new Runner('browser');
  const stamp = Date.now();
  const user = await admin('POST', '/_emulator/people',
    {type: 'person', displayName: 'Browser User', email: `browser-${stamp}@example.com`});
  const host = await admin('POST', '/_emulator/people',
    {type: 'person', displayName: 'Rust Host', email: `rust-host-${stamp}@example.com`});
  const attendee = await admin('POST', '/_emulator/people',
    {type: 'person', displayName: 'Mercury Observer', email: `observer-${stamp}@example.com`});

  const observer = new Observer(BASE, attendee);
  let ours;
  const {server, origin} = await servePage();
  const browser = await puppeteer.launch({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS});
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(describe(e)));
    await page.goto(`${origin}/`);

    await runner.check('meetings', 'Webex.init(bundle) against the emulator', () =>
      inPage(page, (o) => window.initSdk(o), {base: BASE, token: user.accessToken}));

    await runner.check('meetings', 'meetings.register()', async () => {
      const registered = await inPage(page, () => window.register());
      expect(registered.deviceUrl && registered.deviceUrl.startsWith(BASE), `device ${registered.deviceUrl}`);
      const udp = registered.reachability && registered.reachability['emulator-loopback'] &&
        registered.reachability['emulator-loopback'].udp;
      expect(udp && udp.reachable === 'true',
        `the loopback cluster is not UDP-reachable: ${JSON.stringify(registered.reachability)}`);
    });

    let meeting;
    let observing;
    await runner.check('setup', 'admin: POST /_emulator/meetings', async () => {
      meeting = await admin('POST', '/_emulator/meetings',
        {title: 'Browser interop', hostEmail: host.email, lobby: false});
    });
    let oursJoined;
    await runner.check('our SDK', 'webex-meetings joins as the host', async () => {
      needs(meeting, 'the meeting\'s creation');
      ours = new SdkObserver(SDK_OBSERVER, BASE, host, meeting.meetingNumber);
      const own = await ours.event('joined', 'its own join');
      oursJoined = own;
      runner.measure('create-to-joined (webex-meetings)',
        `${own.createToJoinedMs.toFixed(1)} ms (create ${own.createMs.toFixed(1)} ms)`);
    });
    let oursMedia;
    await runner.check('our SDK', 'webex-meetings adds media speaking a 1 kHz tone', async () => {
      needs(oursJoined, 'our SDK\'s join');
      oursMedia = await ours.event('media', 'its media connected', (s) => s.connected === true || s.error);
      expect(oursMedia.connected === true, `add_media failed: ${oursMedia.error}`);
    });
    await runner.check('setup', 'observer: an attendee joins over Locus with a Mercury socket', async () => {
      needs(meeting, 'the meeting\'s creation');
      await observer.connect();
      await observer.join(meeting.meetingNumber);
      await observer.openDataChannel();
      observing = true;
    });

    let joined;
    await runner.check('meetings', 'meetings.create(number) + meeting.join()', async () => {
      needs(meeting, 'the meeting\'s creation');
      joined = await inPage(page, (n) => window.createAndJoin(n), meeting.meetingNumber);
      expect(joined.state === 'JOINED', `meeting state ${joined.state}`);
      runner.measure('create-to-joined (official SDK in Chromium)', `${joined.createToJoinedMs.toFixed(1)} ms (create ${joined.createMs.toFixed(1)} ms)`);
      if (oursJoined) {
        runner.measure('create-to-joined ratio (official SDK / webex-meetings)',
          `${(joined.createToJoinedMs / oursJoined.createToJoinedMs).toFixed(1)}×`);
      }
    });
    const observe = (what, pred) => {
      needs(observing, 'the observer\'s join');
      needs(joined, 'the browser\'s join');
      return observer.waitFor(user.email, what, pred);
    };
    const inMeeting = (fn, ...args) => {
      needs(joined, 'the browser\'s join');
      return inPage(page, fn, ...args);
    };
    const oursSee = (what, pred) => {
      needs(oursJoined, 'our SDK\'s join');
      needs(joined, 'the browser\'s join');
      return ours.member(user.email, what, pred);
    };
    await runner.check('observer', 'the observer sees the browser join', () =>
      observe('joined', (p) => p.state === 'JOINED'));
    await runner.check('our SDK', 'our SDK sees the browser join', () =>
      oursSee('in the meeting', (m) => m.status === 'InMeeting'));

    await runner.check('meetings', 'members.muteMember(self, true)', async () => {
      await inMeeting(() => window.setMuted(true));
    });
    await runner.check('observer', 'the observer sees the browser muted', () =>
      observe('muted', (p) => p.controls && p.controls.audio && p.controls.audio.muted === true));
    await runner.check('our SDK', 'our SDK sees the browser muted', () =>
      oursSee('muted server-side', (m) => m.audioMutedByServer === true && m.audioMuted === true));
    await runner.check('emulator', 'the emulator\'s view agrees: the browser is muted', async () => {
      needs(joined, 'the browser\'s join');
      const seen = await emulatorParticipant(meeting.meetingNumber, user.email);
      expect(seen && seen.state === 'JOINED' && seen.controls.audio.muted === true,
        `emulator shows ${JSON.stringify(seen && {state: seen.state, controls: seen.controls})}`);
    });
    // A member without media is audio-muted by its status (RECVONLY) already, in the JS SDK's
    // member model as in ours; the mute shows in the participant's controls, which the SDK keeps.
    const selfMuted = (muted) => needs(joined, 'the browser\'s join') ||
      eventually(`self controls.audio.muted ${muted}`, () => page.evaluate((m) => {
        const self = meeting.members.membersCollection.get(meeting.members.selfId);
        return self && self.isAudioMuted === true && self.participant.controls.audio.muted === m;
      }, muted));
    await runner.check('meetings', 'the browser sees itself muted', () => selfMuted(true));

    await runner.check('meetings', 'members.muteMember(self, false)', async () => {
      await inMeeting(() => window.setMuted(false));
    });
    await runner.check('observer', 'the observer sees the browser unmuted', () =>
      observe('unmuted', (p) => p.controls && p.controls.audio && p.controls.audio.muted === false));
    await runner.check('meetings', 'the browser sees itself unmuted', () => selfMuted(false));
    await runner.check('our SDK', 'our SDK sees the browser unmuted', () =>
      oursSee('unmuted server-side', (m) => m.audioMutedByServer === false));

    let reacted;
    await runner.check('meetings', 'meeting.sendReaction(thumb_up)', async () => {
      reacted = await inMeeting(() => window.react('thumb_up'));
    });
    await runner.check('observer', 'the observer\'s data channel gets the reaction', async () => {
      needs(observing, 'the observer\'s join');
      needs(reacted, 'the reaction');
      await observer.waitForRelay('a thumb_up from the browser', (relay) => relay.relayType === 'react' &&
        relay.sender.participantId === reacted.selfId && relay.reaction.type === 'thumb_up');
    });

    await runner.check('our SDK', 'our SDK gets the reaction over its data channel', async () => {
      needs(oursJoined, 'our SDK\'s join');
      needs(reacted, 'the reaction');
      await ours.event('reaction', 'the browser\'s thumb_up',
        (r) => r.sender === reacted.selfId && r.reaction === 'thumb_up');
    });

    // Media, after the member controls (whose checks read the self member's
    // mute state as it is without local media). Our SDK speaks a 1 kHz tone
    // (the observer joins without media), so the emulator's media server
    // forwards it to the browser, and the browser's fake microphone to us.
    let media;
    let heardFrom = 0;
    let lastStats;
    await runner.check('media', 'meeting.addMedia(fake microphone) connects to the emulator\'s media server', async () => {
      heardFrom = ours ? ours.seen.length : 0;
      media = await inMeeting(() => window.addAudio());
      expect(media.state === 'Connected', `connection state ${media.state}`);
    });
    await runner.check('media', 'the browser hears our SDK\'s tone (WebRTC stats: packets and audio level)', () =>
      needs(media, 'addMedia') || needs(oursMedia, 'our SDK\'s media') ||
      eventually('audio packets both ways and an audible inbound level', async () => {
        const stats = await inPage(page, () => window.audioStats());
        lastStats = stats;
        return stats.sent > 0 && stats.received > 0 && stats.level > 0.05;
      }).catch((e) => {
        throw new Error(`${e.message}; last stats ${JSON.stringify(lastStats)}`);
      }));
    await runner.check('our SDK', 'our SDK hears the browser\'s fake microphone (400 Hz beeps)', () =>
      needs(media, 'addMedia') || needs(oursMedia, 'our SDK\'s media') ||
      ours.until(() => ours.seen.slice(heardFrom).find((s) => s.event === 'audio' &&
        s.loudestRms > 0.01 && s.loudest400 > 10 * s.loudest1000), 'the browser\'s 400 Hz beeps'));
    await runner.check('emulator', 'the browser\'s device shows active media sessions', () =>
      needs(media, 'addMedia') || eventually('an active audio media session', async () => {
        const seen = await emulatorParticipant(meeting.meetingNumber, user.email);
        const sessions = (seen && seen.devices && seen.devices[0] && seen.devices[0].mediaSessions) || [];
        return sessions.some((m) => m.mediaType === 'audio' && m.state === 'active');
      }));

    await runner.check('meetings', 'meeting.leave()', async () => {
      await inMeeting(() => window.leave());
    });
    await runner.check('meetings', 'the SDK removes the meeting after leave()', () =>
      needs(joined, 'the browser\'s join') || eventually('meeting:removed', () => page.evaluate(() =>
        window.sdkEvents.some((e) => e.name === 'meeting:removed') &&
        webex.meetings.getAllMeetings()[meeting.id] === undefined)));
    await runner.check('observer', 'the observer sees the browser leave', () =>
      observe('left', (p) => p.state === 'LEFT'));
    await runner.check('our SDK', 'our SDK sees the browser leave', () =>
      oursSee('left', (m) => m.status === 'NotInMeeting'));
    await runner.check('our SDK', 'webex-meetings leaves', async () => {
      needs(oursJoined, 'our SDK\'s join');
      const exit = await ours.leave();
      expect(exit.code === 0, `sdk-observer exited with ${JSON.stringify(exit)}:\n${ours.stderr}`);
      expect(ours.seen.some((s) => s.event === 'left'), `it printed:\n${ours.seen.map(JSON.stringify).join('\n')}`);
      await eventually('the host LEFT in the emulator\'s view', async () => {
        const seen = await emulatorParticipant(meeting.meetingNumber, host.email);
        return seen && seen.state === 'LEFT';
      });
    });
    await runner.check('emulator', 'the emulator\'s view agrees: the browser left', async () => {
      needs(joined, 'the browser\'s join');
      const seen = await emulatorParticipant(meeting.meetingNumber, user.email);
      expect(seen && seen.state === 'LEFT', `emulator shows ${seen ? seen.state : 'no participant'}`);
    });
    await runner.check('emulator', 'the media server freed the browser\'s session after leave()', () =>
      needs(media, 'addMedia') || eventually('no media session left', async () => {
        const sessions = await admin('GET', '/_emulator/media/sessions');
        return sessions.items.length === 0;
      }));
    await runner.check('emulator', 'the SDK uploaded its logs after the meeting', () =>
      needs(joined, 'the browser\'s join') || eventually('a client-log upload', async () => {
        const logs = await admin('GET', '/_emulator/client-logs');
        return logs.items.find((log) => log.uploaded && log.meta.feedbackId && log.meta.locusId);
      }));
    // The SDK infers the destination's type (SIP URI, meeting link) and asks meeting info for it.
    for (const field of ['sipUri', 'webLink']) {
      await runner.check('meetings', `meetings.create(${field}) finds the meeting`, async () => {
        needs(meeting, 'the meeting\'s creation');
        const created = await inPage(page, (d) => window.createOnly(d), meeting[field]);
        expect(created.infoNumber === meeting.meetingNumber && created.meetingNumber === meeting.meetingNumber,
          `create(${meeting[field]}) gave ${JSON.stringify(created)}`);
      });
    }
    await runner.check('meetings', 'no uncaught error in the page', () => {
      expect(pageErrors.length === 0, pageErrors.join('\n'));
    });
    // Our oauth-login example, signed in by Chromium (oauth-login.js).
    await oauthLoginChecks({runner, browser, base: BASE, admin, binary: OAUTH_LOGIN});
    // The SDK's bundle on a second origin lists rooms through the emulator's CORS (cors-page.js).
    await corsPageChecks({runner, browser, base: BASE, admin, bundle: BUNDLE});
    // The emulator's chat page, with our echo-bot example answering on it (chat-page.js).
    await chatPageChecks({runner, browser, base: BASE, admin, echoBot: ECHO_BOT});
  } finally {
    if (runner.results.some((r) => r.status === 'fail')) {
      const events = await browser.pages().then((pages) => pages[pages.length - 1].evaluate(() => window.sdkEvents))
        .catch(() => []);
      console.log(`\nSDK events in the page:\n${(events || []).map((e) => `  ${e.at} ms ${e.name} ${JSON.stringify(e.detail)}`).join('\n')}`);
    }
    await browser.close();
    server.close();
    await observer.close();
    if (ours) {
      await ours.leave();
    }
  }
  process.exitCode = runner.finish();
}

main().catch((error) => {
  console.error(`browser suite: ${describe(error)}`);
  process.exitCode = 1;
});
