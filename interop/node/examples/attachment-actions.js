// The `webex.attachmentActions` examples of the JS SDK's API docs ("the seed",
// https://webex.github.io/webex-js-sdk/api/), ported one for one with their own
// asserts. Each runs on a fresh Webex instance of a fresh person.

'use strict';

/** The seed's Adaptive Card, as its create example spells it (less the syntax slip). */
function dueDateCard() {
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      type: 'AdaptiveCard',
      version: '1.0',
      body: [
        {
          type: 'TextBlock',
          text: '',
          size: 'large',
        },
        {
          type: 'TextBlock',
          text: 'Adaptive Cards',
          separation: 'none',
        },
        {
          type: 'Input.Date',
          id: 'dueDate',
        },
      ],
      actions: [
        {
          type: 'Action.Submit',
          title: 'Due Date',
        },
      ],
    },
  };
}

module.exports = [
  {
    name: 'attachmentActions.listen',
    example(webex) {
      return webex.attachmentActions
        .listen()
        .then(() => {
          console.log('    listening to attachmentActions events');
          webex.attachmentActions.on('created', (event) =>
            console.log(`Got an attachmentActions:created event:\n${event}`)
          );
        })
        .then(() => {
          // WHen it is time to cleanup
          webex.attachmentActions.stopListening();
          webex.attachmentActions.off('created');

          return 'success';
        });
    },
  },
  {
    name: 'attachmentActions.create: Create Message with card Example',
    example(webex) {
      // seed fix: the seed's card body lacks a comma between its second and
      // third element, and its last step reads `.then(function(a)){ ... }`.
      return webex.rooms
        .create({title: 'Create Message with card Example'})
        .then(function (room) {
          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
            attachments: [dueDateCard()],
          });
        })
        .then(function (message) {
          return webex.attachmentActions
            .create({
              type: 'submit',
              messageId: message.id,
              inputs: {
                dueDate: '26/06/1995',
              },
            })
            .then(function (attachmentAction) {
              var assert = require('assert');
              assert(attachmentAction.id);
              assert(attachmentAction.type);
              assert(attachmentAction.personId);
              assert(attachmentAction.inputs);
              assert(attachmentAction.messageId);
              assert(attachmentAction.roomId);
              assert(attachmentAction.created);

              return 'success';
            });
        });
    },
  },
  {
    name: 'attachmentActions.get: Get Message Example (attachment action)',
    example(webex) {
      // seed fix: the seed's `inputs: {dueDate: '26/06/1995'});` lacks a `}`.
      return webex.rooms
        .create({title: 'Get Message Example'})
        .then(function (room) {
          return webex.messages.create({
            text: 'Howdy!',
            roomId: room.id,
            attachments: [dueDateCard()],
          });
        })
        .then(function (message) {
          return webex.attachmentActions.create({
            type: 'submit',
            messageId: message.id,
            inputs: {
              dueDate: '26/06/1995',
            },
          });
        })
        .then(function (attachmentAction) {
          return webex.attachmentActions.get(attachmentAction.id);
        })
        .then(function (attachmentAction) {
          var assert = require('assert');
          assert.deepEqual(attachmentAction, attachmentAction);

          return 'success';
        });
    },
  },
];
