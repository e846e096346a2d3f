// The person's rooms on the chat page: the list (most recently active first, unread marks),
// opening one (its messages and members), closing it.

import {$, element, showError} from './dom.js';
import {loadMessages, setReplyTo} from './messages.js';
import {hydra, state} from './state.js';

/** Lists the person's rooms. */
export async function loadRooms() {
  const session = state.session;
  const list = await hydra('GET', '/rooms?max=1000');
  if (session !== state.session) {
    return;
  }
  const unread = new Set([...state.rooms.values()].filter((room) => room.unread).map((room) => room.id));
  state.rooms = new Map(list.items.map((room) => [room.id, {...room, unread: unread.has(room.id)}]));
  renderRooms();
}

/** Draws the room list. */
export function renderRooms() {
  const rooms = [...state.rooms.values()].sort((a, b) =>
    String(b.lastActivity || b.created).localeCompare(String(a.lastActivity || a.created)));
  $('rooms').replaceChildren(...rooms.map((room) => {
    const item = element('li', room.unread ? 'unread' : '');
    item.dataset.roomId = room.id;
    item.setAttribute('aria-current', state.room && state.room.id === room.id ? 'true' : 'false');
    item.append(element('span', 'room-name', room.title || '(untitled)'),
      element('span', 'room-kind', room.type === 'direct' ? 'direct' : 'group'));
    item.addEventListener('click', () => openRoom(room.id).catch(showError));

    return item;
  }));
}

/** Shows no room. */
export function closeRoom() {
  state.room = null;
  state.members = [];
  setReplyTo(null);
  $('messages').replaceChildren();
  $('room-title').textContent = 'No room open';
  $('room-type').textContent = '';
  $('composer').hidden = true;
}

/** Opens a room: its last messages and its members. */
export async function openRoom(roomId) {
  const room = state.rooms.get(roomId);
  if (!room) {
    return;
  }
  closeRoom();
  room.unread = false;
  state.room = room;
  renderRooms();
  $('room-title').textContent = room.title || '(untitled)';
  $('room-type').textContent = room.type === 'direct' ? 'direct' : 'group';
  $('composer').hidden = false;
  showError(null);
  await Promise.all([loadMessages(), loadMembers()]);
  $('composer-text').focus();
}

/** Reads the open room's members into the mention picker. */
export async function loadMembers() {
  const room = state.room;
  const list = await hydra('GET', `/memberships?roomId=${encodeURIComponent(room.id)}&max=1000`);
  if (state.room !== room) {
    return;
  }
  state.members = list.items.filter((member) => member.personId !== state.me.id);
  const select = $('mention-select');
  select.replaceChildren(element('option', '', '—'));
  select.firstChild.value = '';
  for (const member of state.members) {
    const option = element('option', '', member.personDisplayName || member.personEmail);
    option.value = member.personId;
    select.append(option);
  }
}
