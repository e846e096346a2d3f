// The browser test of the emulator's chat page (GET /_emulator/): Chromium opens it, picks
// Ada, sees her rooms, types a message as her (checked through Hydra, not only on the page),
// sees Bob's message arrive live, mentions Bob, sends a file, submits a card's inputs, talks to
// our `echo-bot` example (its own process, run against the same emulator with the bot's token)
// in a 1:1 room and sees the answer without a reload, then injects a 429 from the fault panel
// and sees it in the request log, and closes its Mercury socket from there and sees the page
// come back. A screenshot, chat-page.png, goes to $CI_ARTIFACTS_DIR.
//
// Run from run.js with the Chromium it launched; the echo-bot binary comes from
// $WEBEX_INTEROP_ECHO_BOT (`cargo xtask interop` builds it, and sets CI_ARTIFACTS_DIR).

'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');

const {expect, needs, eventually} = require('./checks');

/** The test's person, as the shared facts of the emulator's docs name her. */
const ADA = {displayName: 'Ada Lovelace', email: 'ada@example.com'};

/** A Hydra call as `person`; the parsed body. */
async function hydra(base, person, method, route, body) {
  const res = await fetch(`${base}/v1${route}`, {
    method,
    headers: {authorization: `Bearer ${person.accessToken}`, 'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} /v1${route}: ${res.status} ${text}`);
  }

  return text ? JSON.parse(text) : null;
}

/**
 * A person made with the admin API; when the email is taken (the suite ran before against
 * this emulator), the one listed under it.
 */
async function person(admin, body) {
  try {
    return await admin('POST', '/_emulator/people', body);
  } catch (error) {
    if (!/: 409 /.test(error.message)) {
      throw error;
    }
    const listed = await admin('GET', '/_emulator/people');
    const found = listed.items.find((p) => p.emails.includes(body.email));
    expect(found && found.accessToken, `${body.email} exists but is not listed with a token`);

    return {...found, email: body.email};
  }
}

/** Our echo-bot example as the bot: its stdout lines, a promise of its listening line, stop(). */
function startEchoBot(binary, base, bot) {
  const env = {...process.env};
  for (const name of Object.keys(env)) {
    if (name.startsWith('WEBEX_') && !name.startsWith('WEBEX_INTEROP_')) {
      delete env[name];
    }
  }
  Object.assign(env, {
    WEBEX_ACCESS_TOKEN: bot.accessToken,
    WEBEX_SERVICES__DISCOVERY__U2C: `${base}/u2c/api/v1`,
    WEBEX_SERVICES__DISCOVERY__HYDRA: `${base}/v1`,
  });
  // Its own working directory: no webex.toml of the checkout is read.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-echo-bot-'));
  const child = spawn(binary, [], {env, cwd, stdio: ['ignore', 'pipe', 'pipe']});
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let heard;
  const listening = new Promise((resolve) => {
    heard = resolve;
  });
  readline.createInterface({input: child.stdout}).on('line', (line) => {
    lines.push(line);
    if (/ is listening/.test(line)) {
      heard(true);
    }
  });
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      heard(false);
      resolve({code, signal});
    });
  });

  return {
    lines,
    listening,
    exit,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
      }

      return exit;
    },
  };
}

/** The texts of the messages the page shows, in order. */
function shownTexts(page) {
  return page.$$eval('#messages .message .message-text', (nodes) => nodes.map((n) => n.textContent));
}

/** Waits until the page shows a message with exactly `text`. */
function waitForShown(page, text) {
  return page.waitForFunction((t) => [...document.querySelectorAll('#messages .message .message-text')]
    .some((n) => n.textContent === t), {timeout: 15000}, text);
}

/** Opens a room from the list and waits until it is the open one. */
async function openRoom(page, roomId) {
  // The list is drawn anew whenever it is read again; click the item drawn now.
  await page.waitForSelector(`#rooms li[data-room-id="${roomId}"]`);
  await page.$eval(`#rooms li[data-room-id="${roomId}"]`, (item) => item.click());
  await page.waitForSelector(`#rooms li[data-room-id="${roomId}"][aria-current="true"]`);
  await page.waitForSelector('#composer:not([hidden])');
}

/** Types `text` into the composer and presses Enter. */
async function typeAndSend(page, text) {
  await page.click('#composer-text');
  await page.type('#composer-text', text);
  await page.keyboard.press('Enter');
}

/** The message of `room` with `text`, read through Hydra as `reader`, once it is there. */
function posted(base, reader, roomId, text) {
  return eventually(`"${text}" in the room through Hydra`, async () => {
    const list = await hydra(base, reader, 'GET', `/messages?roomId=${encodeURIComponent(roomId)}&max=50`);

    return list.items.find((m) => m.text === text);
  });
}

/** The folder for screenshots: $CI_ARTIFACTS_DIR, created if missing. */
function artifactsDir() {
  const dir = process.env.CI_ARTIFACTS_DIR || path.join(process.cwd(), 'target', 'interop-artifacts');
  fs.mkdirSync(dir, {recursive: true});

  return dir;
}

/**
 * The checks, in the `chat page` group of `runner`, with `browser` (puppeteer) against the
 * emulator at `base`; `admin(method, path, body)` is the admin API; `echoBot` the example's
 * binary.
 */
async function chatPageChecks({runner, browser, base, admin, echoBot}) {
  const group = 'chat page';
  const stamp = Date.now();
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({width: 1440, height: 900});
  const pageErrors = [];
  const elsewhere = [];
  const origin = new URL(base);
  page.on('pageerror', (error) => pageErrors.push(String(error && error.message)));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.host !== origin.host && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      elsewhere.push(req.url());
    }
  });
  let bot;
  let ada;
  let bob;
  let botPerson;
  let design;
  try {
    await runner.check(group, 'setup: Ada, Bob, a bot, a group room with a message from Bob', async () => {
      ada = await person(admin, {type: 'person', ...ADA});
      bob = await person(admin, {type: 'person', displayName: 'Bob Babbage', email: `bob-${stamp}@example.com`});
      botPerson = await person(admin,
        {type: 'bot', displayName: 'Echo Bot', email: `echo-${stamp}@webex.bot`});
      design = await hydra(base, ada, 'POST', '/rooms', {title: `Design review ${stamp}`});
      await hydra(base, ada, 'POST', '/memberships', {roomId: design.id, personId: bob.id});
      await hydra(base, bob, 'POST', '/messages', {roomId: design.id, text: 'Welcome, Ada'});
    });

    let loaded = false;
    await runner.check(group, 'GET /_emulator/ loads and lists Ada among the people', async () => {
      needs(ada, 'the setup');
      const response = await page.goto(`${base}/_emulator/`);
      expect(response.status() === 200, `status ${response.status()}`);
      await page.waitForSelector(`#person-select option[value="${ada.id}"]`);
      loaded = true;
    });

    let listed = false;
    await runner.check(group, 'picking Ada lists her rooms and connects her device\'s Mercury socket', async () => {
      needs(loaded, 'the page load');
      await page.select('#person-select', ada.id);
      await page.waitForSelector(`#rooms li[data-room-id="${design.id}"]`);
      const rooms = await page.$$eval('#rooms li', (items) => items.map((i) => i.dataset.roomId));
      const hers = await hydra(base, ada, 'GET', '/rooms?max=1000');
      expect(rooms.length === hers.items.length && hers.items.every((r) => rooms.includes(r.id)),
        `the page lists ${rooms.length} rooms, Hydra ${hers.items.length}`);
      await page.waitForSelector('#connection[data-state="ready"]');
      listed = true;
    });

    let opened = false;
    await runner.check(group, 'opening a room shows its messages', async () => {
      needs(listed, 'the room list');
      await openRoom(page, design.id);
      await waitForShown(page, 'Welcome, Ada');
      opened = true;
    });

    await runner.check(group, 'a message typed as Ada appears in the room (read through Hydra as Bob)', async () => {
      needs(opened, 'opening the room');
      const text = `Hello from the chat page ${stamp}`;
      await typeAndSend(page, text);
      const message = await posted(base, bob, design.id, text);
      expect(message.personId === ada.id, `posted by ${message.personEmail}`);
      await waitForShown(page, text);
    });

    await runner.check(group, 'Bob\'s message arrives on the page live (Mercury, no reload)', async () => {
      needs(opened, 'opening the room');
      await page.evaluate(() => {
        window.chatPageTestMark = 'before Bob';
      });
      const text = `Bob says hi ${stamp}`;
      await hydra(base, bob, 'POST', '/messages', {roomId: design.id, text});
      await waitForShown(page, text);
      expect(await page.evaluate(() => window.chatPageTestMark) === 'before Bob', 'the page was reloaded');
    });

    await runner.check(group, 'a mention of Bob picked on the page reaches Hydra as mentionedPeople', async () => {
      needs(opened, 'opening the room');
      await page.waitForSelector(`#mention-select option[value="${bob.id}"]`);
      await page.select('#mention-select', bob.id);
      await page.type('#composer-text', `please look ${stamp}`);
      await page.click('#send');
      const message = await eventually('the mention through Hydra', async () => {
        const list = await hydra(base, bob, 'GET', `/messages?roomId=${encodeURIComponent(design.id)}&max=50`);

        return list.items.find((m) => m.markdown && m.markdown.includes(`please look ${stamp}`));
      });
      expect((message.mentionedPeople || []).includes(bob.id), `mentionedPeople ${JSON.stringify(message.mentionedPeople)}`);
      await waitForShown(page, message.text);
    });

    await runner.check(group, 'a file sent from the page is a message file (multipart)', async () => {
      needs(opened, 'opening the room');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-chat-page-'));
      const file = path.join(dir, 'notes.txt');
      fs.writeFileSync(file, `notes ${stamp}\n`);
      const input = await page.$('#composer-file');
      await input.uploadFile(file);
      await page.type('#composer-text', `the notes ${stamp}`);
      await page.click('#send');
      const message = await posted(base, bob, design.id, `the notes ${stamp}`);
      expect(message.files && message.files.length === 1, `files ${JSON.stringify(message.files)}`);
      await page.waitForSelector(`#messages [data-message-id="${message.id}"] .files a`);
      const content = await fetch(message.files[0], {headers: {authorization: `Bearer ${bob.accessToken}`}});
      expect(await content.text() === `notes ${stamp}\n`, 'the file\'s content differs');
    });

    await runner.check(group, 'a card\'s inputs submitted on the page are an attachment action', async () => {
      needs(opened, 'opening the room');
      const card = {
        type: 'AdaptiveCard',
        version: '1.3',
        body: [
          {type: 'TextBlock', text: `Lunch ${stamp}`},
          {type: 'Input.Text', id: 'name', label: 'Name'},
          {type: 'Input.ChoiceSet', id: 'dish', value: 'soup',
            choices: [{title: 'Soup', value: 'soup'}, {title: 'Salad', value: 'salad'}]},
        ],
        actions: [{type: 'Action.Submit', title: 'Order', data: {form: 'lunch'}}],
      };
      const message = await hydra(base, bob, 'POST', '/messages', {
        roomId: design.id,
        text: `card ${stamp}`,
        attachments: [{contentType: 'application/vnd.microsoft.card.adaptive', content: card}],
      });
      const shown = `#messages [data-message-id="${message.id}"]`;
      await page.waitForSelector(`${shown} input[data-input-id="name"]`);
      await page.type(`${shown} input[data-input-id="name"]`, 'Ada');
      await page.select(`${shown} select[data-input-id="dish"]`, 'salad');
      await page.click(`${shown} .card-form button`);
      const submitted = await page.waitForSelector(`${shown} [data-submitted]`);
      const id = await submitted.evaluate((node) => node.dataset.submitted);
      const action = await hydra(base, ada, 'GET', `/attachment/actions/${encodeURIComponent(id)}`);
      expect(action.messageId === message.id && action.personId === ada.id, JSON.stringify(action));
      const inputs = action.inputs || {};
      expect(Object.keys(inputs).length === 3 && inputs.form === 'lunch' && inputs.name === 'Ada' &&
        inputs.dish === 'salad', `inputs ${JSON.stringify(inputs)}`);
    });

    let botListening = false;
    await runner.check(group, 'echo-bot starts against the emulator with the bot\'s token', async () => {
      needs(botPerson, 'the setup');
      expect(echoBot, 'WEBEX_INTEROP_ECHO_BOT is not set');
      bot = startEchoBot(echoBot, base, botPerson);
      const up = await bot.listening;
      expect(up, `echo-bot ended before listening:\n${bot.lines.join('\n')}\n${bot.stderr()}`);
      botListening = true;
    });

    let answered = false;
    await runner.check(group, 'echo-bot answers Ada in a 1:1 room and the answer appears without a reload', async () => {
      needs(listed, 'the room list');
      needs(botListening, 'echo-bot');
      await page.evaluate(() => {
        window.chatPageTestMark = 'before the bot';
      });
      const text = `hello bot ${stamp}`;
      await page.type('#dm-email', botPerson.email);
      await page.type('#dm-text', text);
      await page.click('#dm-send');
      await waitForShown(page, text);
      await waitForShown(page, `echo: ${text}`);
      expect(await page.evaluate(() => window.chatPageTestMark) === 'before the bot', 'the page was reloaded');
      const room = await page.$eval('#rooms li[aria-current="true"]', (item) => item.dataset.roomId);
      const sent = await posted(base, ada, room, text);
      const reply = await posted(base, ada, room, `echo: ${text}`);
      expect(reply.personId === botPerson.id && reply.parentId === sent.id,
        `the reply ${JSON.stringify({by: reply.personEmail, parentId: reply.parentId})}`);
      expect(sent.roomType === 'direct', `room type ${sent.roomType}`);
      answered = true;
    });

    await runner.check(group, 'a screenshot of the page is written to the CI artifacts folder', async () => {
      needs(loaded, 'the page load');
      const file = path.join(artifactsDir(), 'chat-page.png');
      await page.screenshot({path: file});
      const size = fs.statSync(file).size;
      expect(size > 10000, `${file} has ${size} bytes`);
      console.log(`    screenshot: ${file}${answered ? '' : ' (before the bot answered)'}`);
    });

    await runner.check(group, 'the fault panel\'s 429 shows in the request log', async () => {
      needs(listed, 'the room list');
      await page.$eval('#fault-429-path', (input) => {
        input.value = '/v1/rooms';
      });
      await page.click('#fault-429-add');
      await page.waitForFunction(() => /queued/.test(document.querySelector('#fault-result').textContent));
      await page.click('#rooms-reload');
      await page.waitForSelector('#log tbody tr[data-status="429"][data-path="/v1/rooms"]');
      const recent = await admin('GET', '/_emulator/requests/recent');
      expect(recent.items.some((r) => r.status === 429 && r.path === '/v1/rooms'),
        'GET /_emulator/requests/recent has no 429 for /v1/rooms');
    });

    await runner.check(group, 'the fault panel closes Ada\'s Mercury socket and the page reconnects', async () => {
      needs(listed, 'the room list');
      const before = await admin('GET', '/_emulator/mercury/connections');
      const count = before.items.length;
      await page.click('#fault-mercury-close');
      await page.waitForFunction(() => /socket\(s\) hit/.test(document.querySelector('#fault-result').textContent));
      const hit = await page.$eval('#fault-result', (node) => node.textContent);
      expect(/: [1-9]\d* socket\(s\) hit/.test(hit), hit);
      await eventually('a new socket of the page, ready', async () => {
        const now = await admin('GET', '/_emulator/mercury/connections');
        const ready = await page.$eval('#connection', (node) => node.dataset.state);

        return now.items.length > count && ready === 'ready';
      });
      // And it is live again.
      const text = `after the reconnect ${stamp}`;
      await openRoom(page, design.id);
      await hydra(base, bob, 'POST', '/messages', {roomId: design.id, text});
      await waitForShown(page, text);
    });

    await runner.check(group, 'the page loads nothing from elsewhere and throws nothing', () => {
      needs(loaded, 'the page load');
      expect(elsewhere.length === 0, `requests elsewhere: ${elsewhere.join(', ')}`);
      expect(pageErrors.length === 0, pageErrors.join('\n'));
    });
  } finally {
    await admin('DELETE', '/_emulator/faults').catch(() => {});
    if (bot) {
      const {code, signal} = await bot.stop();
      if (code !== 0) {
        console.log(`    echo-bot exited with ${code ?? signal}:\n${bot.lines.join('\n')}\n${bot.stderr()}`);
      }
    }
    if (runner.results.some((r) => r.group === group && r.status === 'fail')) {
      const texts = await shownTexts(page).catch(() => []);
      console.log(`    the page shows: ${JSON.stringify(texts)}`);
    }
    await context.close();
  }
}

module.exports = {chatPageChecks};
