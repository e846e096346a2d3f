// Writing on the chat page: text or markdown, a mention of a member, a file (multipart), an
// Adaptive Card, in a thread or not; and a first direct message to someone by email.

import {CARD_TYPE, EXAMPLE_CARD} from './cards.js';
import {$, showError} from './dom.js';
import {setReplyTo, showMessage} from './messages.js';
import {loadRooms, openRoom} from './rooms.js';
import {hydra, state} from './state.js';

/** The composer's fields as they are now, and a way to put them back. */
function snapshot() {
  const fields = {
    text: $('composer-text').value,
    markdown: $('composer-markdown').checked,
    file: $('composer-file').files[0],
    card: $('card-json').value.trim(),
    replyTo: state.replyTo,
  };

  return {
    fields,
    /** Empties the composer (at once, so what is typed next is not cleared by this send). */
    clear() {
      $('composer-text').value = '';
      $('composer-file').value = '';
      $('card-json').value = '';
      $('composer-markdown').checked = false;
      setReplyTo(null);
    },
    /** Puts the fields back after a failed send, unless something new was typed. */
    restore() {
      if ($('composer-text').value || $('composer-file').files.length || $('card-json').value) {
        return;
      }
      $('composer-text').value = fields.text;
      $('composer-markdown').checked = fields.markdown;
      if (fields.file) {
        const files = new DataTransfer();
        files.items.add(fields.file);
        $('composer-file').files = files.files;
      }
      $('card-json').value = fields.card;
      state.replyTo = fields.replyTo;
    },
  };
}

/** The body of a post without a file. */
function jsonBody(roomId, {text, markdown, replyTo}, card) {
  const body = {roomId};
  body[markdown ? 'markdown' : 'text'] = text.trim() ? text : 'Adaptive Card';
  if (replyTo) {
    body.parentId = replyTo;
  }
  if (card !== undefined) {
    body.attachments = [{contentType: CARD_TYPE, content: card}];
  }

  return body;
}

/** The multipart form of a post with a file. */
function formBody(roomId, {text, markdown, replyTo, file}) {
  const form = new FormData();
  form.append('roomId', roomId);
  if (text.trim()) {
    form.append(markdown ? 'markdown' : 'text', text);
  }
  if (replyTo) {
    form.append('parentId', replyTo);
  }
  form.append('files', file, file.name);

  return form;
}

/** Posts what the composer holds. */
async function send() {
  const room = state.room;
  const taken = snapshot();
  const {fields} = taken;
  if (!fields.text.trim() && !fields.file && !fields.card) {
    return;
  }
  let card;
  if (fields.card) {
    try {
      card = JSON.parse(fields.card);
    } catch (error) {
      throw new Error(`the card is not JSON: ${error.message}`);
    }
  }
  taken.clear();
  let message;
  try {
    message = fields.file
      ? await hydra('POST', '/messages', {form: formBody(room.id, fields)})
      : await hydra('POST', '/messages', {body: jsonBody(room.id, fields, card)});
  } catch (error) {
    taken.restore();
    throw error;
  }
  showError(null);
  showMessage(message);
}

/** Writes a mention of the member picked into the composer, as markdown. */
function mention(personId) {
  const member = state.members.find((m) => m.personId === personId);
  if (!member) {
    return;
  }
  const area = $('composer-text');
  const tag = `<@personId:${member.personId}|${member.personDisplayName || member.personEmail}> `;
  const at = area.selectionStart || area.value.length;
  area.value = area.value.slice(0, at) + tag + area.value.slice(at);
  $('composer-markdown').checked = true;
  $('mention-select').value = '';
  area.focus();
}

/** Starts a 1:1 room (or uses the one there is) by posting to a person's email. */
async function directMessage() {
  const message = await hydra('POST', '/messages',
    {body: {toPersonEmail: $('dm-email').value.trim(), text: $('dm-text').value}});
  $('dm-text').value = '';
  await loadRooms();
  await openRoom(message.roomId);
  showMessage(message);
}

/** Wires the composer and the direct-message form. */
export function wireComposer() {
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send().catch(showError);
  });
  $('composer-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send().catch(showError);
    }
  });
  $('mention-select').addEventListener('change', (event) => mention(event.target.value));
  $('reply-cancel').addEventListener('click', () => setReplyTo(null));
  $('card-example').addEventListener('click', () => {
    $('card-json').value = JSON.stringify(EXAMPLE_CARD, null, 2);
  });
  $('dm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!state.me) {
      showError(new Error('pick a person first'));

      return;
    }
    directMessage().catch(showError);
  });
}
