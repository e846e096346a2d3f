// The `webex.people` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person; alice and bob
// exist on the emulator (run.js creates them).

'use strict';

module.exports = [
  {
    name: 'people.get: Get Person Example',
    example(webex) {
      return webex.rooms
        .create({title: 'Get Person Example'})
        .then(function (room) {
          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function (membership) {
          return webex.people.get(membership.personId);
        })
        .then(function (alice) {
          var assert = require('assert');
          assert(alice.id);
          assert(Array.isArray(alice.emails));
          assert.equal(
            alice.emails.filter(function (email) {
              return email === 'alice@example.com';
            }).length,
            1
          );
          assert(alice.displayName);
          assert(alice.created);

          return 'success';
        });
    },
  },
  {
    name: 'people.list: List People Example',
    example(webex) {
      var room;

      return webex.rooms
        .create({title: 'List People Example'})
        .then(function (r) {
          room = r;

          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function () {
          return webex.memberships.create({
            personEmail: 'bob@example.com',
            roomId: room.id,
          });
        })
        .then(function () {
          return webex.people.list({email: 'alice@example.com'});
        })
        .then(function (people) {
          var assert = require('assert');
          assert.equal(people.length, 1);
          var person = people.items[0];
          assert(person.id);
          assert(Array.isArray(person.emails));
          assert(person.displayName);
          assert(person.created);

          return 'success';
        });
    },
  },
  {
    name: 'people.list: List People Array Example',
    example(webex) {
      var room;
      var aliceId;
      var bobId;

      return webex.rooms
        .create({title: 'List People Array Example'})
        .then(function (r) {
          room = r;

          return webex.memberships.create({
            personEmail: 'alice@example.com',
            roomId: room.id,
          });
        })
        .then(function (membership) {
          aliceId = membership.personId;
        })
        .then(function () {
          return webex.memberships.create({
            personEmail: 'bob@example.com',
            roomId: room.id,
          });
        })
        .then(function (membership) {
          bobId = membership.personId;
        })
        .then(function () {
          return webex.people.list([aliceId, bobId]);
        })
        .then(function (people) {
          var assert = require('assert');
          assert.equal(people.length, 2);
          // seed fix: with an array argument, people.list() resolves to a
          // plain Array of people (plugin-people/src/people.js, list():
          // `Promise.all(peopleIds.map(...))`), not a Page, so the seed's
          // `people.items[0]` is undefined on any server. Same asserts on
          // the first person.
          var person = people[0];
          assert(person.id);
          assert(Array.isArray(person.emails));
          assert(person.displayName);
          assert(person.created);

          return 'success';
        });
    },
  },
];
