// The `webex.teams` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person.

'use strict';

module.exports = [
  {
    name: 'teams.create: Create Team Example',
    example(webex) {
      return webex.teams.create({name: 'Create Team Example'}).then(function (team) {
        var assert = require('assert');
        assert(team.id);
        assert(team.name);
        assert(team.created);

        return 'success';
      });
    },
  },
  {
    name: 'teams.get: Get Team Example',
    example(webex) {
      var team;

      return webex.teams
        .create({name: 'Get Team Example'})
        .then(function (r) {
          team = r;

          return webex.teams.get(team.id);
        })
        .then(function (team2) {
          var assert = require('assert');
          assert.equal(team2.id, team.id);

          return 'success';
        });
    },
  },
  {
    name: 'teams.list: List Teams Example',
    example(webex) {
      var createdRooms;

      return Promise.all([
        webex.teams.create({name: 'List Teams Example 1'}),
        webex.teams.create({name: 'List Teams Example 2'}),
        webex.teams.create({name: 'List Teams Example 3'}),
      ])
        .then(function (r) {
          createdRooms = r;

          return webex.teams.list({max: 3});
        })
        .then(function (teams) {
          var assert = require('assert');
          assert(teams.length === 3);
          for (var i = 0; i < teams.items.length; i += 1) {
            assert(
              createdRooms.filter(function (room) {
                return room.id === teams.items[i].id;
              }).length === 1
            );
          }

          return 'success';
        });
    },
  },
  {
    name: 'teams.update: Update Team Example',
    example(webex) {
      var teams;

      return webex.teams
        .create({name: 'Update Team Example'})
        .then(function (r) {
          teams = r;
          teams.name = 'Teams Example (Updated Title)';

          return webex.teams.update(teams);
        })
        .then(function () {
          return webex.teams.get(teams.id);
        })
        .then(function (teams) {
          var assert = require('assert');
          assert.equal(teams.name, 'Teams Example (Updated Title)');

          return 'success';
        });
    },
  },
];
