// The `webex.teamMemberships` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person; alice exists
// on the emulator (run.js creates her). The seed has no example for
// teamMemberships.update.

'use strict';

module.exports = [
  {
    name: 'teamMemberships.create: Create Team Membership Example',
    example(webex) {
      return webex.teams
        .create({name: 'Create Team Membership Example'})
        .then(function (team) {
          return webex.teamMemberships.create({
            personEmail: 'alice@example.com',
            teamId: team.id,
          });
        })
        .then(function (membership) {
          var assert = require('assert');
          assert(membership.id);
          assert(membership.teamId);
          assert(membership.personId);
          assert(membership.personEmail);
          assert('isModerator' in membership);
          assert(membership.created);

          return 'success';
        });
    },
  },
  {
    name: 'teamMemberships.get: Get Team Memberships Example',
    example(webex) {
      var membership;

      return webex.teams
        .create({name: 'Get Team Memberships Example'})
        .then(function (team) {
          return webex.teamMemberships.create({
            personEmail: 'alice@example.com',
            teamId: team.id,
          });
        })
        .then(function (m) {
          membership = m;

          return webex.teamMemberships.get(m.id);
        })
        .then(function (m) {
          var assert = require('assert');
          assert.deepEqual(m, membership);

          return 'success';
        });
    },
  },
  {
    name: 'teamMemberships.list: List Team Memberships Example',
    example(webex) {
      var team;

      return webex.teams
        .create({name: 'List Team Memberships Example'})
        .then(function (t) {
          team = t;

          return webex.teamMemberships.create({
            personEmail: 'alice@example.com',
            teamId: team.id,
          });
        })
        .then(function () {
          return webex.teamMemberships.list({teamId: team.id});
        })
        .then(function (teamMemberships) {
          var assert = require('assert');
          assert.equal(teamMemberships.length, 2);
          for (var i = 0; i < teamMemberships.length; i += 1) {
            assert.equal(teamMemberships.items[i].teamId, team.id);
          }

          return 'success';
        });
    },
  },
  {
    name: 'teamMemberships.remove: Remove Team Memberships Example',
    example(webex) {
      var membership, team;

      return webex.teams
        .create({name: 'Remove Team Memberships Example'})
        .then(function (t) {
          team = t;

          return webex.teamMemberships.create({
            personEmail: 'alice@example.com',
            teamId: team.id,
          });
        })
        .then(function (m) {
          membership = m;

          return webex.teamMemberships.list({teamId: team.id});
        })
        .then(function (teamMemberships) {
          var assert = require('assert');
          assert.equal(teamMemberships.length, 2);

          return webex.teamMemberships.remove(membership);
        })
        .then(function () {
          return webex.teamMemberships.list({teamId: team.id});
        })
        .then(function (teamMemberships) {
          var assert = require('assert');
          assert.equal(teamMemberships.length, 1);

          return 'success';
        });
    },
  },
];
