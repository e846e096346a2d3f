// The `webex.rooms` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person.

'use strict';

module.exports = [
  {
    name: 'rooms.listen',
    example(webex) {
      return webex.rooms
        .listen()
        .then(() => {
          console.log('    listening to room events');
          // seed fix: both `on(...)` calls lacked their closing parenthesis.
          webex.rooms.on('created', (event) => console.log(`Got a room:created event:\n${event}`));
          webex.rooms.on('updated', (event) => console.log(`Got a room:updated event:\n${event}`));
        })
        .then(() => {
          // When it is time to cleanup
          webex.rooms.stopListening();
          webex.rooms.off('created');
          webex.rooms.off('updated');

          return 'success';
        });
      // The seed ends with `.catch((e) => console.error(...))`; here a
      // rejected listen() fails the check instead.
    },
  },
  {
    name: 'rooms.create: Create Room Example',
    example(webex) {
      return webex.rooms.create({title: 'Create Room Example'}).then(function (room) {
        var assert = require('assert');
        assert(typeof room.created === 'string');
        assert(typeof room.id === 'string');
        assert(room.title === 'Create Room Example');
        console.log(`    ${room.title}`);

        return 'success';
      });
    },
  },
  {
    name: 'rooms.get: Get Room Example',
    example(webex) {
      var room;

      return webex.rooms
        .create({title: 'Get Room Example'})
        .then(function (r) {
          room = r;

          return webex.rooms.get(room.id);
        })
        .then(function (r) {
          var assert = require('assert');
          assert.deepEqual(r, room);

          return 'success';
        });
    },
  },
  {
    name: 'rooms.list: List Rooms Example',
    example(webex) {
      var createdRooms;

      return Promise.all([
        webex.rooms.create({title: 'List Rooms Example 1'}),
        webex.rooms.create({title: 'List Rooms Example 2'}),
        webex.rooms.create({title: 'List Rooms Example 3'}),
      ]).then(function (r) {
        createdRooms = r;

        return webex.rooms.list({max: 3}).then(function (rooms) {
          var assert = require('assert');
          assert(rooms.length === 3);
          for (var i = 0; i < rooms.items.length; i += 1) {
            assert(
              createdRooms.filter(function (room) {
                return room.id === rooms.items[i].id;
              }).length === 1
            );
          }

          return 'success';
        });
      });
    },
  },
  {
    name: 'rooms.remove: Remove Room Example',
    example(webex) {
      var room;

      return webex.rooms
        .create({title: 'Remove Room Example'})
        .then(function (r) {
          room = r;

          return webex.rooms.remove(room.id);
        })
        .then(function () {
          return webex.rooms.get(room.id);
        })
        .then(function () {
          var assert = require('assert');
          assert(false, 'the previous get should have failed');
        })
        .catch(function (reason) {
          var assert = require('assert');
          assert.equal(reason.statusCode, 404);

          return 'success';
        });
    },
  },
  {
    name: 'rooms.update: Update Room Example',
    example(webex) {
      var room;

      // seed fix: the seed's first call is `webex.rooms.update({title: ...})`,
      // which PUTs `rooms/undefined` (no id) on any server; it means create.
      return webex.rooms
        .create({title: 'Update Room Example'})
        .then(function (r) {
          room = r;
          room.title = 'Update Room Example (Updated Title)';

          return webex.rooms.update(room);
        })
        .then(function () {
          return webex.rooms.get(room.id);
        })
        .then(function (room) {
          var assert = require('assert');
          assert.equal(room.title, 'Update Room Example (Updated Title)');

          return 'success';
        });
    },
  },
];
