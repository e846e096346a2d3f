// The `webex.messages` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person.

'use strict';

module.exports = [
  {
    name: 'messages.listen',
    example(webex) {
      return webex.messages
        .listen()
        .then(() => {
          console.log('    listening to message events');
          webex.messages.on('created', (event) => console.log(`Got a message:created event:\n${event}`));
          webex.messages.on('deleted', (event) => console.log(`Got a message:deleted event:\n${event}`));
        })
        .then(() => {
          // When it is time to cleanup
          webex.messages.stopListening();
          webex.messages.off('created');
          webex.messages.off('deleted');

          return 'success';
        });
    },
  },
  {
    name: 'messages.create: Create Message Example',
    example(webex) {
      return webex.rooms
        .create({title: 'Create Message Example'})
        .then(function (room) {
          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
          });
        })
        .then(function (message) {
          var assert = require('assert');
          assert(message.id);
          assert(message.personId);
          assert(message.personEmail);
          assert(message.roomId);
          assert(message.created);

          return 'success';
        });
    },
  },
  {
    name: 'messages.update: Create Message Example (update)',
    example(webex) {
      // seed fix: the seed assigns `message` without declaring it.
      var message;

      return webex.rooms
        .create({title: 'Create Message Example'})
        .then(function (room) {
          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
          });
        })
        .then(function (m) {
          message = m;

          return webex.messages.update(message, {markdown: `**What up**`});
        })
        .then(function (m) {
          message = m;

          return webex.messages.update(message.id, {roomId: message.roomId, text: 'Howdy!'});
        })
        .then(function (message) {
          var assert = require('assert');
          assert(message.id);
          assert(message.personId);
          assert(message.personEmail);
          assert(message.roomId);
          assert(message.created);

          return 'success';
        });
    },
  },
  {
    name: 'messages.get: Get Message Example',
    example(webex) {
      var message;

      return webex.rooms
        .create({title: 'Get Message Example'})
        .then(function (room) {
          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
          });
        })
        .then(function (m) {
          message = m;

          return webex.messages.get(message.id);
        })
        .then(function (message2) {
          var assert = require('assert');
          assert.deepEqual(message2, message);

          return 'success';
        });
    },
  },
  {
    name: 'messages.list: List Messages Example',
    example(webex) {
      var message1, message2, room;

      return webex.rooms
        .create({title: 'List Messages Example'})
        .then(function (r) {
          room = r;

          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
          });
        })
        .then(function (m) {
          message1 = m;

          return webex.messages.create({
            text: 'How are you?',
            roomId: room.id,
          });
        })
        .then(function (m) {
          message2 = m;

          return webex.messages.list({roomId: room.id});
        })
        .then(function (messages) {
          var assert = require('assert');
          assert.equal(messages.length, 2);
          assert.equal(messages.items[0].id, message2.id);
          assert.equal(messages.items[1].id, message1.id);

          return 'success';
        });
    },
  },
  {
    name: 'messages.remove: Messages Example',
    example(webex) {
      var message1, room;

      return webex.rooms
        .create({title: 'Messages Example'})
        .then(function (r) {
          room = r;

          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
          });
        })
        .then(function (m) {
          message1 = m;

          return webex.messages.create({
            text: 'How are you?',
            roomId: room.id,
          });
        })
        .then(function () {
          return webex.messages.remove(message1);
        })
        .then(function () {
          return webex.messages.list({roomId: room.id});
        })
        .then(function (messages) {
          var assert = require('assert');
          assert.equal(messages.items.length, 1);
          assert(messages.items[0].id !== message1.id);

          return 'success';
        });
    },
  },
];
