// Checks beyond the seed's examples: behaviour of the same JS SDK that the
// examples do not reach (Link pagination with page.next(), a hydra 429, and
// the read-status methods, which go through the conversation service).
// Each runs on a fresh Webex instance of a fresh person; `env` has the
// emulator's admin API.

'use strict';

const assert = require('assert');

module.exports = [
  {
    name: 'extra: rooms.list({max: 2}) then page.next() to the end',
    async example(webex) {
      const created = [];
      for (let i = 0; i < 5; i += 1) {
        created.push((await webex.rooms.create({title: `Paged Room ${i}`})).id);
      }
      let page = await webex.rooms.list({max: 2});
      const seen = page.items.map((r) => r.id);
      let pages = 1;
      while (page.hasNext()) {
        page = await page.next();
        pages += 1;
        seen.push(...page.items.map((r) => r.id));
      }
      assert.equal(pages, 3, 'pages for 5 rooms with max=2');
      assert.deepEqual([...seen].sort(), [...created].sort());

      return 'success';
    },
  },
  {
    name: 'extra: a hydra 429 rejects at once with statusCode 429 (the SDK does not retry)',
    async example(webex, env) {
      await webex.rooms.create({title: 'Before 429'});
      await env.addFault({status: 429, retryAfter: 5, count: 1, pathPrefix: '/v1/rooms'});
      const start = Date.now();
      try {
        await webex.rooms.list();
        assert.fail('rooms.list() should have rejected');
      } catch (e) {
        if (e instanceof assert.AssertionError) {
          throw e;
        }
        assert.equal(e.statusCode, 429);
        assert.equal(e.name, 'TooManyRequests');
      } finally {
        await env.clearFaults();
      }
      assert(Date.now() - start < 4000, 'rejected without waiting for Retry-After');
      const rooms = await webex.rooms.list();
      assert.equal(rooms.length, 1, 'the next call goes through');

      return 'success';
    },
  },
  {
    name: 'extra: rooms.getWithReadStatus',
    async example(webex) {
      const room = await webex.rooms.create({title: 'Read Status Room'});
      await webex.messages.create({roomId: room.id, text: 'unread'});
      const info = await webex.rooms.getWithReadStatus(room.id);
      assert.equal(info.id, room.id);
      assert.equal(info.type, 'group');
      assert.equal(info.title, 'Read Status Room');
      assert(info.lastActivityDate, 'lastActivityDate');
      assert(info.lastSeenActivityDate, 'lastSeenActivityDate');

      return 'success';
    },
  },
  {
    name: 'extra: rooms.listWithReadStatus',
    async example(webex) {
      const a = await webex.rooms.create({title: 'Read Status A'});
      const b = await webex.rooms.create({title: 'Read Status B'});
      await webex.messages.create({roomId: a.id, text: 'newest activity'});
      const list = await webex.rooms.listWithReadStatus();
      assert.deepEqual(
        list.items.map((r) => r.id),
        [a.id, b.id],
        'both rooms, most recent activity first'
      );

      return 'success';
    },
  },
  {
    name: 'extra: memberships.updateLastSeen, then memberships.listWithReadStatus',
    async example(webex) {
      const me = await webex.people.get('me');
      const room = await webex.rooms.create({title: 'Last Seen Room'});
      await webex.memberships.create({roomId: room.id, personEmail: 'alice@example.com'});
      const message = await webex.messages.create({roomId: room.id, text: 'seen'});
      const ack = await webex.memberships.updateLastSeen(message);
      assert.equal(ack.lastSeenId, message.id);
      assert.equal(ack.roomId, room.id);
      assert.equal(ack.personId, me.id);
      const status = await webex.memberships.listWithReadStatus({roomId: room.id});
      assert.equal(status.items.length, 2);
      const mine = status.items.find((m) => m.personId === me.id);
      assert(mine, 'my membership is listed');
      assert.equal(mine.lastSeenId, message.id);
      assert.equal(mine.roomId, room.id);

      return 'success';
    },
  },
];
