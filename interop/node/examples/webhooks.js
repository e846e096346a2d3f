// The `webex.webhooks` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person.
//
// The target URLs are the seed's https://example.com ones: the emulator
// contacts only plain http:// targets, so nothing leaves the machine.

'use strict';

module.exports = [
  {
    name: 'webhooks.create: Create Webhook Example',
    example(webex) {
      return webex.rooms
        .create({title: 'Create Webhook Example'})
        .then(function (room) {
          return webex.webhooks.create({
            resource: 'messages',
            event: 'created',
            filter: 'roomId=' + room.id,
            targetUrl: 'https://example.com/webhook',
            name: 'Test Webhook',
          });
        })
        .then(function (webhook) {
          var assert = require('assert');
          assert(webhook.id);
          assert(webhook.resource);
          assert(webhook.event);
          assert(webhook.filter);
          assert(webhook.targetUrl);
          assert(webhook.name);

          return 'success';
        });
    },
  },
  {
    name: 'webhooks.get: Get Webhook Example',
    example(webex) {
      var webhook;

      return webex.rooms
        .create({title: 'Get Webhook Example'})
        .then(function (room) {
          return webex.webhooks.create({
            resource: 'messages',
            event: 'created',
            filter: 'roomId=' + room.id,
            targetUrl: 'https://example.com/webhook',
            name: 'Test Webhook',
          });
        })
        .then(function (w) {
          webhook = w;

          return webex.webhooks.get(webhook.id);
        })
        .then(function (webhook2) {
          var assert = require('assert');
          assert.deepEqual(webhook2, webhook);

          return 'success';
        });
    },
  },
  {
    name: 'webhooks.list: List Webhooks Example',
    example(webex) {
      var room, webhook;

      return webex.rooms
        .create({title: 'List Webhooks Example'})
        .then(function (r) {
          room = r;

          return webex.webhooks.create({
            resource: 'messages',
            event: 'created',
            filter: 'roomId=' + room.id,
            targetUrl: 'https://example.com/webhook',
            name: 'Test Webhook',
          });
        })
        .then(function (w) {
          webhook = w;

          return webex.webhooks.list();
        })
        .then(function (webhooks) {
          var assert = require('assert');
          assert.equal(
            webhooks.items.filter(function (w) {
              return w.id === webhook.id;
            }).length,
            1
          );

          return 'success';
        });
    },
  },
  {
    name: 'webhooks.remove: Remove Webhook Example',
    example(webex) {
      var room, webhook;

      return webex.rooms
        .create({title: 'Remove Webhook Example'})
        .then(function (r) {
          room = r;

          return webex.webhooks.create({
            resource: 'messages',
            event: 'created',
            filter: 'roomId=' + room.id,
            targetUrl: 'https://example.com/webhook',
            name: 'Test Webhook',
          });
        })
        .then(function (w) {
          webhook = w;

          return webex.webhooks.remove(webhook);
        })
        .then(function () {
          return webex.webhooks.list();
        })
        .then(function (webhooks) {
          var assert = require('assert');
          assert.equal(
            webhooks.items.filter(function (w) {
              return w.id === webhook.id;
            }).length,
            0
          );

          return 'success';
        });
    },
  },
  {
    name: 'webhooks.update: Webhook Example',
    example(webex) {
      var webhook;

      return webex.rooms
        .create({title: 'Webhook Example'})
        .then(function (room) {
          return webex.webhooks.create({
            resource: 'messages',
            event: 'created',
            filter: 'roomId=' + room.id,
            targetUrl: 'https://example.com/webhook',
            name: 'Test Webhook',
          });
        })
        .then(function (w) {
          webhook = w;
          webhook.targetUrl = 'https://example.com/webhook/newtarget';

          return webex.webhooks.update(webhook);
        })
        .then(function () {
          return webex.webhooks.get(webhook);
        })
        .then(function (webhook) {
          var assert = require('assert');
          assert.equal(webhook.targetUrl, 'https://example.com/webhook/newtarget');

          return 'success';
        });
    },
  },
];
