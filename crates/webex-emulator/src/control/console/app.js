// The chat page of webex-emulator, served at /_emulator/: plain JavaScript modules, no build
// step, nothing loaded from elsewhere.
//
// It acts as the person picked from the admin list (GET /_emulator/people) the way any client
// does, with that person's token: the U2C catalog gives the Hydra and WDM URLs; rooms, messages,
// memberships and card submits go through Hydra (rooms.js, messages.js, composer.js, cards.js);
// a device registered at WDM gives the Mercury socket that pushes what happens in the person's
// rooms (mercury.js), and each new message is read back through Hydra by its id (here). The
// request panel follows the emulator's request log (log.js), the fault panel queues faults
// (faults.js).

import {wireComposer} from './composer.js';
import {$, element, showError} from './dom.js';
import {wireFaults} from './faults.js';
import {admin, request} from './http.js';
import {hydraId} from './ids.js';
import {followLog} from './log.js';
import {Mercury} from './mercury.js';
import {loadMessages, showDeleted, showMessage, showNote} from './messages.js';
import {closeRoom, loadMembers, loadRooms, renderRooms} from './rooms.js';
import {hydra, nameOf, state} from './state.js';

/** The device and socket of the person acted as. */
let mercury = null;

/** The Mercury state shown in the header. */
function setConnection(kind, text) {
  const badge = $('connection');
  badge.dataset.state = kind;
  badge.textContent = text;
}

/** Reads the people list into the picker, keeping the current choice. */
async function loadPeople() {
  const list = await admin('GET', '/_emulator/people');
  state.byId = new Map(list.items.map((person) => [person.id, person]));
  const select = $('person-select');
  const chosen = state.me ? state.me.id : select.value;
  select.replaceChildren(element('option', '', '— pick a person —'));
  select.firstChild.value = '';
  for (const person of list.items) {
    const option = element('option', '',
      `${person.displayName} <${person.emails[0]}>${person.type === 'bot' ? ' (bot)' : ''}`);
    option.value = person.id;
    select.append(option);
  }
  select.value = state.byId.has(chosen) ? chosen : '';
}

/** The service links of the catalog (U2C, hostmap format): where Hydra and WDM are. */
async function services() {
  const catalog = await request('GET', `${location.origin}/u2c/api/v1/catalog?format=hostmap`,
    {token: state.me.accessToken});
  const links = catalog.serviceLinks || {};
  if (!links.hydra || !links.wdm) {
    throw new Error('the catalog lists no hydra or wdm service');
  }

  return {hydra: links.hydra.replace(/\/$/, ''), wdm: links.wdm.replace(/\/$/, '')};
}

/** Acts as `personId` from now on (none: acts as nobody). */
async function choose(personId) {
  state.session += 1;
  const session = state.session;
  if (mercury) {
    mercury.stop();
    mercury = null;
  }
  state.me = state.byId.get(personId) || null;
  state.services = null;
  state.rooms = new Map();
  closeRoom();
  $('rooms').replaceChildren();
  history.replaceState(null, '', state.me ? `#person=${encodeURIComponent(state.me.id)}` : '#');
  if (!state.me) {
    setConnection('idle', 'not connected');

    return;
  }
  if (!state.me.accessToken) {
    setConnection('closed', 'this person has no token');

    return;
  }
  try {
    state.services = await services();
    if (session !== state.session) {
      return;
    }
    await loadRooms();
    if (session !== state.session) {
      return;
    }
    mercury = new Mercury({
      token: state.me.accessToken,
      wdm: state.services.wdm,
      onActivity: (activity) => onActivity(activity).catch((error) => console.error(error)),
      onReady: (again) => {
        if (again) {
          // Back after a drop: read again what may have happened meanwhile.
          loadRooms().then(loadMessages).catch((error) => console.error(error));
        }
      },
      onState: setConnection,
    });
    mercury.start();
  } catch (error) {
    if (session === state.session) {
      setConnection('closed', 'failed');
      showError(error);
    }
  }
}

/** What a pushed activity changes on the page. */
async function onActivity(activity) {
  const roomId = activity.target && activity.target.globalId;
  switch (activity.verb) {
    case 'post':
    case 'share': {
      const room = state.rooms.get(roomId);
      if (!room) {
        await loadRooms();

        return;
      }
      room.lastActivity = activity.published;
      if (state.room && state.room.id === roomId) {
        showMessage(await hydra('GET', `/messages/${encodeURIComponent(hydraId('MESSAGE', activity.id))}`));
      } else {
        room.unread = true;
      }
      renderRooms();
      break;
    }
    case 'delete':
      showDeleted(hydraId('MESSAGE', activity.object && activity.object.id),
        nameOf(hydraId('PEOPLE', activity.actor && activity.actor.entryUUID)));
      break;
    case 'cardAction':
      if (state.room && state.room.id === roomId) {
        const inputs = (activity.object && activity.object.inputs) || {};
        showNote(`${(activity.actor && activity.actor.displayName) || 'someone'} submitted a card: ${JSON.stringify(inputs)}`);
      }
      break;
    case 'acknowledge':
      break;
    default:
      // Rooms made, renamed, locked, hidden; members added or gone.
      await loadRooms();
      if (state.room && roomId === state.room.id) {
        await loadMembers();
      }
      if (state.room && !state.rooms.has(state.room.id)) {
        closeRoom();
      }
  }
}

async function main() {
  $('person-select').addEventListener('change', (event) => choose(event.target.value));
  $('people-reload').addEventListener('click', () => loadPeople().catch(showError));
  $('rooms-reload').addEventListener('click', () => state.me && loadRooms().catch(showError));
  wireComposer();
  wireFaults(() => state.me);
  window.addEventListener('pagehide', () => {
    if (mercury) {
      mercury.stop();
    }
  });
  followLog();
  await loadPeople();
  const wanted = /^#person=(.+)$/.exec(location.hash);
  const personId = wanted && decodeURIComponent(wanted[1]);
  if (personId && state.byId.has(personId)) {
    $('person-select').value = personId;
    await choose(personId);
  }
}

main().catch(showError);
