// The `webex.memberships` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person; the people
// the examples name (alice@example.com, otherUser@acme.com) exist on the
// emulator (run.js creates them).

'use strict';

module.exports = [
  {
    name: 'memberships.listen',
    example(webex) {
      return webex.memberships
        .listen()
        .then(() => {
          console.log('    listening to membership events');
          // seed fix: the seed's handlers lack their closing parentheses and
          // the last one reads `(event) => => {`.
          webex.memberships.on('created', (event) => {
            console.log(`Got a membership:created event:\n${event}`);
          });
          webex.memberships.on('updated', (event) => {
            console.log(`Got a membership:updated event:\n${event}`);
          });
          webex.memberships.on('seen', (event) => {
            // This represents a "read receipt" and will include a
            // lastSeenId for the message this member has just "read",
            // There is currently no equivalent webhook for this event.
            console.log(`Got a membership:seen event:\n${event}`);
          });
          webex.memberships.on('deleted', (event) => {
            console.log(`Got a membership:created event:\n${event}`);
          });
        })
        .then(() => {
          // Later when it is time to clean up
          webex.memberships.stopListening();
          webex.memberships.off('created');
          webex.memberships.off('updated');
          webex.memberships.off('seen');
          webex.memberships.off('deleted');

          return 'success';
        });
    },
  },
  {
    name: 'memberships.create: Create Membership Example',
    example(webex) {
      return webex.rooms
        .create({title: 'Create Membership Example'})
        .then(function (room) {
          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function (membership) {
          var assert = require('assert');
          assert(membership.id);
          assert(membership.roomId);
          assert(membership.personId);
          assert(membership.personEmail);
          assert('isModerator' in membership);
          assert('isMonitor' in membership);
          assert(membership.created);

          return 'success';
        });
    },
  },
  {
    name: 'memberships.get: Get Membership Example',
    example(webex) {
      var membership;

      return webex.rooms
        .create({title: 'Get Membership Example'})
        .then(function (room) {
          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function (m) {
          membership = m;

          return webex.memberships.get(m.id);
        })
        .then(function (m) {
          var assert = require('assert');
          assert.deepEqual(m, membership);

          return 'success';
        });
    },
  },
  {
    name: 'memberships.list: List Membership Example',
    example(webex) {
      var room;

      return webex.rooms
        .create({title: 'List Membership Example'})
        .then(function (r) {
          room = r;

          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function () {
          return webex.memberships.list({roomId: room.id});
        })
        .then(function (memberships) {
          var assert = require('assert');
          assert.equal(memberships.length, 2);
          for (var i = 0; i < memberships.length; i += 1) {
            assert.equal(memberships.items[i].roomId, room.id);
          }

          return 'success';
        });
    },
  },
  {
    name: 'memberships.remove: Remove Membership Example',
    example(webex) {
      var membership, room;

      return webex.rooms
        .create({title: 'Remove Membership Example'})
        .then(function (r) {
          room = r;

          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function (m) {
          membership = m;

          return webex.memberships.list({roomId: room.id});
        })
        .then(function (memberships) {
          var assert = require('assert');
          assert.equal(memberships.length, 2);

          return webex.memberships.remove(membership);
        })
        .then(function () {
          return webex.memberships.list({roomId: room.id});
        })
        .then(function (memberships) {
          var assert = require('assert');
          assert.equal(memberships.length, 1);

          return 'success';
        });
    },
  },
  {
    name: 'memberships.update: Memberships Example (make moderator)',
    example(webex) {
      // Change membership to make user a moderator
      var membership, room;

      return webex.rooms
        .create({title: 'Memberships Example'})
        .then(function (r) {
          room = r;

          return webex.memberships.list({roomId: room.id});
        })
        .then(function (memberships) {
          membership = memberships.items[0];
          var assert = require('assert');
          assert.equal(membership.isModerator, false);
          membership.isModerator = true;

          return webex.memberships.update(membership);
        })
        .then(function () {
          return webex.memberships.get(membership.id);
        })
        .then(function (membership) {
          var assert = require('assert');
          assert.equal(membership.isModerator, true);

          return 'success';
        });
    },
  },
  {
    name: 'memberships.update: Hide a one on one space',
    example(webex) {
      var assert = require('assert');
      var membership, myId;

      return (
        webex.people
          .get('me')
          .then(function (person) {
            // seed fix: the seed reads an undefined `personId` here.
            myId = person.id;

            return webex.messages.create({
              toPersonEmail: 'otherUser@acme.com',
              text: 'This message will create a 1-1 space',
            });
          })
          // seed fix: the seed has `then(` without the leading dot here.
          .then(function (message) {
            return webex.memberships.list({
              roomId: message.roomId,
              personId: myId,
            });
          })
          .then((memberships) => {
            membership = memberships.items[0];
            assert.equal(membership.isRoomHidden, false);
            membership.isRoomHidden = true;

            // This will generate a memberships:updated event
            // that will only be seen by this user
            return webex.memberships.update(membership);
          })
          .then(function (membership) {
            assert.equal(membership.isRoomHidden, true);

            return 'success';
          })
      );
    },
  },
];
