// The open room's messages on the chat page: reading them, drawing them in time order (once
// each), their files, cards and thread replies.

import {CARD_TYPE, renderCard} from './cards.js';
import {$, clock, element, showError} from './dom.js';
import {hydra, nameOf, state} from './state.js';

/** How many messages a room shows when opened. */
const ROOM_MESSAGES = 50;

/** The shown message with this id, if any. */
function shown(messageId) {
  return $('messages').querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
}

/** Reads the open room's last messages (again), keeping what is shown. */
export async function loadMessages() {
  const room = state.room;
  if (!room) {
    return;
  }
  // Hydra shows a bot only the group messages that mention it, and only when asked so.
  const onlyMine = state.me.type === 'bot' && room.type !== 'direct' ? '&mentionedPeople=me' : '';
  const list = await hydra('GET', `/messages?roomId=${encodeURIComponent(room.id)}&max=${ROOM_MESSAGES}${onlyMine}`);
  if (state.room !== room) {
    return;
  }
  for (const message of list.items.reverse()) {
    showMessage(message);
  }
}

/** Adds a message to the open room's view (once; in time order). */
export function showMessage(message) {
  if (!state.room || message.roomId !== state.room.id) {
    return;
  }
  const list = $('messages');
  const existing = shown(message.id);
  const item = renderMessage(message);
  if (existing) {
    existing.replaceWith(item);

    return;
  }
  const later = [...list.children].find((other) => other.dataset.created > message.created);
  list.insertBefore(item, later || null);
  if (!later) {
    list.scrollTop = list.scrollHeight;
  }
}

/** Replaces a shown message with a note that it was deleted. */
export function showDeleted(messageId, by) {
  const item = shown(messageId);
  if (item) {
    item.replaceWith(element('li', 'message note', `${by} deleted a message`));
  }
}

/** A note in the room (a card submit). */
export function showNote(text) {
  $('messages').append(element('li', 'message note', text));
  $('messages').scrollTop = $('messages').scrollHeight;
}

/** Replies go to this message's thread (threads are one level deep), or to the room. */
export function setReplyTo(message) {
  state.replyTo = message ? message.parentId || message.id : null;
  $('reply-to').hidden = !message;
  $('reply-to-text').textContent = message
    ? `Replying in the thread of ${nameOf(message.personId, message.personEmail)}: ${(message.text || '').slice(0, 60)}`
    : '';
}

/** One message: author, time, text, files, cards, a reply button. */
function renderMessage(message) {
  const mine = message.personId === state.me.id;
  const item = element('li', `message${mine ? ' mine' : ''}${message.parentId ? ' reply' : ''}`);
  item.dataset.messageId = message.id;
  item.dataset.created = message.created || '';
  item.dataset.personEmail = message.personEmail || '';
  const head = element('div', 'message-head');
  head.append(element('span', 'message-author', nameOf(message.personId, message.personEmail)),
    element('time', '', clock(message.created)));
  if (message.parentId) {
    head.append(element('span', '', '↳ in a thread'));
  }
  const actions = element('span', 'message-actions');
  const reply = element('button', '', 'Reply');
  reply.type = 'button';
  reply.addEventListener('click', () => setReplyTo(message));
  actions.append(reply);
  head.append(actions);
  item.append(head);
  if (message.text) {
    item.append(element('div', 'message-text', message.text));
  }
  if (message.files && message.files.length) {
    const files = element('div', 'files');
    message.files.forEach((url, index) => files.append(fileLink(url, index)));
    item.append(files);
  }
  for (const attachment of message.attachments || []) {
    if (attachment.contentType === CARD_TYPE && attachment.content) {
      item.append(renderCard(attachment.content, (inputs) =>
        hydra('POST', '/attachment/actions', {body: {type: 'submit', messageId: message.id, inputs}})));
    }
  }

  return item;
}

/** A link that downloads a message's file with the person's token. */
function fileLink(url, index) {
  const link = element('a', '', `📎 file ${index + 1}`);
  link.href = '#';
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(url, {headers: {authorization: `Bearer ${state.me.accessToken}`}});
      if (!response.ok) {
        throw new Error(`GET file: ${response.status}`);
      }
      const disposition = response.headers.get('content-disposition') || '';
      const name = (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || `file-${index + 1}`;
      const blob = URL.createObjectURL(await response.blob());
      const save = element('a');
      save.href = blob;
      save.download = name;
      save.click();
      setTimeout(() => URL.revokeObjectURL(blob), 10000);
      link.textContent = `📎 ${name}`;
    } catch (error) {
      showError(error);
    }
  });

  return link;
}
