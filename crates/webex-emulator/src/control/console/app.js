// The chat page of webex-emulator, served at /_emulator/. Plain JavaScript, no build step,
// nothing loaded from elsewhere.
//
// It acts as the person picked from the admin list (GET /_emulator/people) the way any client
// does, with that person's token: the U2C catalog gives the Hydra and WDM URLs; rooms, messages,
// memberships and card submits go through Hydra; a device registered at WDM gives the Mercury
// socket that pushes what happens in the person's rooms (authorization frame, readiness, acks,
// pings), and each new message is read back through Hydra by its id. The request panel reads
// the emulator's request log live (GET /_emulator/requests/stream, an event stream) and the
// fault panel queues faults (POST /_emulator/faults).

'use strict';

(() => {
  /** The element with this id. */
  const $ = (id) => document.getElementById(id);

  /** The Adaptive Card attachment type. */
  const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
  /** The model the page's devices carry, to find its own leftovers at WDM. */
  const DEVICE_MODEL = 'webex-emulator-chat';
  /** A device lives this long (s) unless refreshed; the page refreshes it at a third. */
  const DEVICE_TTL = 600;
  /** Mercury pings every this many ms once ready. */
  const PING_INTERVAL = 30000;
  /** How many request rows the panel keeps. */
  const LOG_ROWS = 300;
  /** How many messages a room shows when opened. */
  const ROOM_MESSAGES = 50;

  const state = {
    people: [],
    byId: new Map(),
    me: null,
    services: null,
    rooms: new Map(),
    room: null,
    members: [],
    replyTo: null,
    // Bumped on every person switch: async work of an earlier person drops its result.
    session: 0,
    mercury: null,
  };

  // --- ids -------------------------------------------------------------------------------

  /** A random v4 UUID (crypto.randomUUID needs a secure context; the page may run on http). */
  function uuid() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  const trackingSession = uuid();
  let trackingCount = 0;

  /** A tracking id shaped like the SDKs' (`<prefix>_<session>_<n>`). */
  function trackingId() {
    trackingCount += 1;

    return `WEBEX-EMULATOR-CHAT_${trackingSession}_${trackingCount}`;
  }

  /** The Hydra id of a conversation-service uuid (`ciscospark://us/TYPE/uuid`, unpadded). */
  function hydraId(type, id) {
    return btoa(`ciscospark://us/${type}/${id}`).replace(/=+$/, '');
  }

  // --- HTTP ------------------------------------------------------------------------------

  /** An error answer, with what the emulator said and its tracking id. */
  class ApiError extends Error {
    constructor(method, url, status, message, tracking) {
      super(`${method} ${new URL(url, location.href).pathname}: ${status} ${message || ''}`.trim() +
        (tracking ? ` (trackingid ${tracking})` : ''));
      this.status = status;
      this.webexMessage = message;
    }
  }

  /** A request; the parsed JSON body (null when empty). `auth`: send the person's token. */
  async function request(method, url, {body, form, auth = true, keepalive = false} = {}) {
    const headers = {};
    if (auth) {
      headers.authorization = `Bearer ${state.me.accessToken}`;
      headers.trackingid = trackingId();
    }
    let payload;
    if (form) {
      payload = form;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, {method, headers, body: payload, keepalive});
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (_) {
      json = null;
    }
    if (!response.ok) {
      throw new ApiError(method, url, response.status, (json && json.message) || text,
        response.headers.get('trackingid'));
    }

    return json;
  }

  /** A request to the admin API (same origin, no token). */
  function admin(method, path, body) {
    return request(method, path, {body, auth: false});
  }

  /** `{hydra}{path}`. */
  function hydra(path) {
    return `${state.services.hydra}${path}`;
  }

  // --- small DOM helpers -----------------------------------------------------------------

  /** A new element with a class and text (always text, never HTML). */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }

    return node;
  }

  /** `hh:mm:ss` of an ISO time. */
  function clock(iso) {
    const date = new Date(iso);

    return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], {hour12: false});
  }

  /** Shows an error under the composer (or clears it). */
  function showError(error) {
    $('composer-error').textContent = error ? String(error.message || error) : '';
    if (error) {
      console.error(error);
    }
  }

  /** The Mercury state shown in the header. */
  function setConnection(kind, text) {
    const badge = $('connection');
    badge.dataset.state = kind;
    badge.textContent = text;
  }

  // --- people ----------------------------------------------------------------------------

  /** Reads the people list into the picker, keeping the current choice. */
  async function loadPeople() {
    const list = await admin('GET', '/_emulator/people');
    state.people = list.items;
    state.byId = new Map(list.items.map((person) => [person.id, person]));
    const select = $('person-select');
    const chosen = state.me ? state.me.id : select.value;
    select.replaceChildren(element('option', '', '— pick a person —'));
    select.firstChild.value = '';
    for (const person of state.people) {
      const option = element('option', '',
        `${person.displayName} <${person.emails[0]}>${person.type === 'bot' ? ' (bot)' : ''}`);
      option.value = person.id;
      select.append(option);
    }
    select.value = state.byId.has(chosen) ? chosen : '';
  }

  /** The name to show for a person id. */
  function nameOf(personId, fallback) {
    const person = state.byId.get(personId);

    return person ? person.displayName : fallback || 'someone';
  }

  /** Acts as `personId` from now on (none: acts as nobody). */
  async function choose(personId) {
    state.session += 1;
    const session = state.session;
    if (state.mercury) {
      state.mercury.stop();
      state.mercury = null;
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
      state.mercury = new Mercury(session);
      state.mercury.start();
    } catch (error) {
      if (session === state.session) {
        setConnection('closed', 'failed');
        showError(error);
      }
    }
  }

  /** The service links of the catalog (U2C, hostmap format): where Hydra and WDM are. */
  async function services() {
    const catalog = await request('GET', `${location.origin}/u2c/api/v1/catalog?format=hostmap`);
    const links = catalog.serviceLinks || {};
    if (!links.hydra || !links.wdm) {
      throw new Error('the catalog lists no hydra or wdm service');
    }

    return {hydra: links.hydra.replace(/\/$/, ''), wdm: links.wdm.replace(/\/$/, '')};
  }

  // --- rooms -----------------------------------------------------------------------------

  /** Lists the person's rooms, most recently active first. */
  async function loadRooms() {
    const session = state.session;
    const list = await request('GET', hydra('/rooms?max=1000'));
    if (session !== state.session) {
      return;
    }
    const unread = new Set([...state.rooms.values()].filter((room) => room.unread).map((room) => room.id));
    state.rooms = new Map(list.items.map((room) => [room.id, {...room, unread: unread.has(room.id)}]));
    renderRooms();
  }

  /** Draws the room list. */
  function renderRooms() {
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
  function closeRoom() {
    state.room = null;
    state.members = [];
    setReplyTo(null);
    $('messages').replaceChildren();
    $('room-title').textContent = 'No room open';
    $('room-type').textContent = '';
    $('composer').hidden = true;
  }

  /** Opens a room: its last messages and its members. */
  async function openRoom(roomId) {
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

  /** Reads the open room's last messages (again), keeping what is shown. */
  async function loadMessages() {
    const room = state.room;
    if (!room) {
      return;
    }
    // Hydra shows a bot only the group messages that mention it, and only when asked so.
    const onlyMine = state.me.type === 'bot' && room.type !== 'direct' ? '&mentionedPeople=me' : '';
    const list = await request('GET',
      hydra(`/messages?roomId=${encodeURIComponent(room.id)}&max=${ROOM_MESSAGES}${onlyMine}`));
    if (state.room !== room) {
      return;
    }
    for (const message of list.items.reverse()) {
      showMessage(message);
    }
  }

  /** Reads the open room's members into the mention picker. */
  async function loadMembers() {
    const room = state.room;
    const list = await request('GET', hydra(`/memberships?roomId=${encodeURIComponent(room.id)}&max=1000`));
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

  // --- messages --------------------------------------------------------------------------

  /** Adds a message to the open room's view (once; in time order). */
  function showMessage(message) {
    if (!state.room || message.roomId !== state.room.id) {
      return;
    }
    const list = $('messages');
    const existing = list.querySelector(`[data-message-id="${CSS.escape(message.id)}"]`);
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
        item.append(renderCard(message, attachment.content));
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

  /** A note in the room (a card submit, a deletion). */
  function showNote(text) {
    const item = element('li', 'message note', text);
    $('messages').append(item);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  /** Replies go to this message's thread (threads are one level deep), or to the room. */
  function setReplyTo(message) {
    state.replyTo = message ? message.parentId || message.id : null;
    $('reply-to').hidden = !message;
    $('reply-to-text').textContent = message
      ? `Replying in the thread of ${nameOf(message.personId, message.personEmail)}: ${(message.text || '').slice(0, 60)}`
      : '';
  }

  /** The composer's fields as they are now, and a way to put them back. */
  function composerSnapshot() {
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

  /** Posts what the composer holds: text or markdown, a file, a card, in a thread or not. */
  async function send() {
    const room = state.room;
    const snapshot = composerSnapshot();
    const {text, markdown, file, card: cardText, replyTo} = snapshot.fields;
    if (!text.trim() && !file && !cardText) {
      return;
    }
    let card;
    if (cardText) {
      try {
        card = JSON.parse(cardText);
      } catch (error) {
        throw new Error(`the card is not JSON: ${error.message}`);
      }
    }
    snapshot.clear();
    let message;
    try {
      if (file) {
        const form = new FormData();
        form.append('roomId', room.id);
        if (text.trim()) {
          form.append(markdown ? 'markdown' : 'text', text);
        }
        if (replyTo) {
          form.append('parentId', replyTo);
        }
        form.append('files', file, file.name);
        message = await request('POST', hydra('/messages'), {form});
      } else {
        const body = {roomId: room.id};
        body[markdown ? 'markdown' : 'text'] = text.trim() ? text : 'Adaptive Card';
        if (replyTo) {
          body.parentId = replyTo;
        }
        if (card !== undefined) {
          body.attachments = [{contentType: CARD_TYPE, content: card}];
        }
        message = await request('POST', hydra('/messages'), {body});
      }
    } catch (error) {
      snapshot.restore();
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
    const message = await request('POST', hydra('/messages'),
      {body: {toPersonEmail: $('dm-email').value.trim(), text: $('dm-text').value}});
    $('dm-text').value = '';
    await loadRooms();
    await openRoom(message.roomId);
    showMessage(message);
  }

  // --- Adaptive Cards --------------------------------------------------------------------

  /** Every `Input.*` element of a card, in order (inside containers, column sets, columns). */
  function cardInputs(elements, out = []) {
    for (const item of elements || []) {
      if (!item || typeof item !== 'object') {
        continue;
      }
      if (typeof item.type === 'string' && item.type.startsWith('Input.') && item.id) {
        out.push(item);
      }
      cardInputs(item.items, out);
      cardInputs(item.columns, out);
    }

    return out;
  }

  /** The card's text blocks, for a glance at what it says. */
  function cardTexts(elements, out = []) {
    for (const item of elements || []) {
      if (item && item.type === 'TextBlock' && item.text) {
        out.push(String(item.text));
      }
      if (item && typeof item === 'object') {
        cardTexts(item.items, out);
        cardTexts(item.columns, out);
      }
    }

    return out;
  }

  /** A form field for one input; returns [label, read()] (values as Webex sends them: text). */
  function cardField(input) {
    const label = element('label', '', input.label || input.title || input.id);
    let field;
    let read;
    switch (input.type) {
      case 'Input.Toggle': {
        field = element('input');
        field.type = 'checkbox';
        const on = input.valueOn === undefined ? 'true' : String(input.valueOn);
        const off = input.valueOff === undefined ? 'false' : String(input.valueOff);
        field.checked = String(input.value) === on;
        read = () => (field.checked ? on : off);
        break;
      }
      case 'Input.ChoiceSet': {
        field = element('select');
        field.multiple = Boolean(input.isMultiSelect);
        const chosen = String(input.value || '').split(',');
        for (const choice of input.choices || []) {
          const option = element('option', '', choice.title);
          option.value = String(choice.value);
          option.selected = chosen.includes(option.value);
          field.append(option);
        }
        read = () => [...field.selectedOptions].map((option) => option.value).join(',');
        break;
      }
      default: {
        const types = {'Input.Number': 'number', 'Input.Date': 'date', 'Input.Time': 'time'};
        field = input.isMultiline ? element('textarea') : element('input');
        if (!input.isMultiline) {
          field.type = types[input.type] || 'text';
        }
        if (input.placeholder) {
          field.placeholder = input.placeholder;
        }
        if (input.min !== undefined) {
          field.min = input.min;
        }
        if (input.max !== undefined) {
          field.max = input.max;
        }
        field.value = input.value === undefined ? '' : String(input.value);
        read = () => field.value;
      }
    }
    field.dataset.inputId = input.id;
    label.append(field);

    return [label, read];
  }

  /** A card: what it says, its JSON (structured), its inputs as a form with its submit actions. */
  function renderCard(message, card) {
    const box = element('div', 'card');
    box.dataset.card = 'adaptive';
    for (const text of cardTexts(card.body)) {
      box.append(element('div', 'card-text', text));
    }
    const json = element('details');
    json.append(element('summary', '', 'Adaptive Card JSON'), element('pre', '', JSON.stringify(card, null, 2)));
    box.append(json);
    const inputs = cardInputs(card.body);
    const submits = (card.actions || []).filter((action) => action && action.type === 'Action.Submit');
    if (!inputs.length && !submits.length) {
      return box;
    }
    const form = element('form', 'card-form');
    const readers = inputs.map((input) => {
      const [label, read] = cardField(input);
      form.append(label);

      return [input.id, read];
    });
    const status = element('span', 'dim');
    for (const action of submits.length ? submits : [{title: 'Submit'}]) {
      const button = element('button', '', action.title || 'Submit');
      button.type = 'button';
      button.addEventListener('click', async () => {
        // Like Adaptive Cards hosts: the action's `data` object is merged into the inputs.
        const values = action.data && typeof action.data === 'object' ? {...action.data} : {};
        for (const [id, read] of readers) {
          values[id] = read();
        }
        try {
          const submitted = await request('POST', hydra('/attachment/actions'),
            {body: {type: 'submit', messageId: message.id, inputs: values}});
          status.textContent = `submitted (${submitted.id.slice(0, 12)}…)`;
          status.dataset.submitted = submitted.id;
        } catch (error) {
          status.textContent = error.message;
        }
      });
      form.append(button);
    }
    form.append(status);
    form.addEventListener('submit', (event) => event.preventDefault());
    box.append(form);

    return box;
  }

  /** A small card to start from. */
  const EXAMPLE_CARD = {
    type: 'AdaptiveCard',
    version: '1.3',
    body: [
      {type: 'TextBlock', text: 'Lunch order', weight: 'Bolder'},
      {type: 'Input.Text', id: 'name', label: 'Name', placeholder: 'Your name'},
      {type: 'Input.ChoiceSet', id: 'dish', label: 'Dish', value: 'soup',
        choices: [{title: 'Soup', value: 'soup'}, {title: 'Salad', value: 'salad'}]},
      {type: 'Input.Toggle', id: 'dessert', title: 'Dessert'},
    ],
    actions: [{type: 'Action.Submit', title: 'Order', data: {form: 'lunch'}}],
  };

  // --- Mercury ---------------------------------------------------------------------------

  /**
   * The person's device and its Mercury socket: registered at WDM, connected with the
   * authorization frame, ready on `mercury.buffer_state`, every frame with an id acked, pinged
   * while ready, reconnected with backoff (registered anew when the device is gone), refreshed
   * before its ttl runs out, and deleted when the page stops acting as the person.
   */
  class Mercury {
    constructor(session) {
      this.session = session;
      this.token = state.me.accessToken;
      this.device = null;
      this.socket = null;
      this.stopped = false;
      this.backoff = 1000;
      this.wasReady = false;
      this.timers = new Set();
    }

    /** Whether this connection still belongs to the page's current person. */
    current() {
      return !this.stopped && this.session === state.session;
    }

    later(ms, fn) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        fn();
      }, ms);
      this.timers.add(timer);
    }

    async start() {
      try {
        await this.register();
        this.connect();
      } catch (error) {
        this.retry(`device registration failed: ${error.message}`);
      }
    }

    /** The registration body WDM keeps. */
    static body() {
      return {
        deviceName: 'webex-emulator chat page',
        deviceType: 'WEB',
        localizedModel: DEVICE_MODEL,
        model: DEVICE_MODEL,
        name: `chat-page-${trackingSession}`,
        systemName: 'browser',
        systemVersion: navigator.userAgent.slice(0, 60),
        ttl: DEVICE_TTL,
      };
    }

    async register() {
      setConnection('connecting', 'registering a device');
      let device;
      try {
        device = await request('POST', `${state.services.wdm}/devices`, {body: Mercury.body()});
      } catch (error) {
        if (!(error.status === 403 && /excessive device registrations/i.test(error.webexMessage || ''))) {
          throw error;
        }
        // Devices an earlier page left behind: delete this page's kind only, then try again.
        const list = await request('GET', `${state.services.wdm}/devices`);
        for (const old of (list.devices || []).filter((d) => d.model === DEVICE_MODEL)) {
          await request('DELETE', old.url).catch(() => {});
        }
        device = await request('POST', `${state.services.wdm}/devices`, {body: Mercury.body()});
      }
      if (!this.current()) {
        request('DELETE', device.url, {keepalive: true}).catch(() => {});
        throw new Error('stopped');
      }
      this.device = device;
      this.later(DEVICE_TTL * 1000 / 3, () => this.refresh());
    }

    /** Keeps the device alive (`PUT <url>`), every third of its ttl. */
    async refresh() {
      if (!this.current() || !this.device) {
        return;
      }
      try {
        this.device = await request('PUT', this.device.url, {body: Mercury.body()});
      } catch (error) {
        if (error.status === 404) {
          this.device = null;
        }
      }
      this.later(DEVICE_TTL * 1000 / 3, () => this.refresh());
    }

    connect() {
      if (!this.current()) {
        return;
      }
      setConnection('connecting', 'connecting');
      const url = new URL(this.device.webSocketUrl);
      url.searchParams.set('outboundWireFormat', 'text');
      url.searchParams.set('bufferStates', 'true');
      url.searchParams.set('aliasHttpStatus', 'true');
      const socket = new WebSocket(url.href);
      this.socket = socket;
      socket.addEventListener('open', () => {
        socket.send(JSON.stringify({
          id: uuid(),
          type: 'authorization',
          data: {token: `Bearer ${this.token}`},
          trackingId: trackingId(),
        }));
      });
      socket.addEventListener('message', (event) => this.frame(socket, event.data));
      socket.addEventListener('close', (event) => {
        if (this.socket !== socket) {
          return;
        }
        this.socket = null;
        if (!this.current()) {
          return;
        }
        if (event.code === 4404 || event.code === 4401) {
          // The device is gone (or not this token's): register anew.
          this.device = null;
        }
        this.retry(`closed ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
      });
    }

    /** Tries again after the current backoff (1 s doubling to 16 s). */
    retry(why) {
      if (!this.current()) {
        return;
      }
      setConnection('closed', `${why}; again in ${this.backoff / 1000} s`);
      const wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, 16000);
      this.later(wait, async () => {
        if (!this.current()) {
          return;
        }
        if (!this.device) {
          try {
            await this.register();
          } catch (error) {
            this.retry(`device registration failed: ${error.message}`);

            return;
          }
        }
        this.connect();
      });
    }

    frame(socket, text) {
      let frame;
      try {
        frame = JSON.parse(text);
      } catch (_) {
        return;
      }
      if (frame.type === 'pong') {
        return;
      }
      if (frame.id && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({type: 'ack', messageId: frame.id}));
      }
      const data = frame.data || {};
      if (data.eventType === 'mercury.buffer_state' || data.eventType === 'mercury.registration_status') {
        this.ready(socket);
      } else if (data.eventType === 'conversation.activity' && data.activity) {
        onActivity(data.activity).catch((error) => console.error(error));
      }
    }

    ready(socket) {
      setConnection('ready', 'live');
      this.backoff = 1000;
      const ping = () => {
        if (this.socket === socket && socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify({id: uuid(), type: 'ping'}));
          this.later(PING_INTERVAL, ping);
        }
      };
      this.later(PING_INTERVAL, ping);
      if (this.wasReady) {
        // Back after a drop: read again what may have happened meanwhile.
        loadRooms().then(loadMessages).catch((error) => console.error(error));
      }
      this.wasReady = true;
    }

    /** Closes the socket and deletes the device. */
    stop() {
      this.stopped = true;
      for (const timer of this.timers) {
        clearTimeout(timer);
      }
      this.timers.clear();
      if (this.socket) {
        this.socket.close(1000, 'done');
        this.socket = null;
      }
      if (this.device) {
        const url = this.device.url;
        const token = this.token;
        this.device = null;
        fetch(url, {method: 'DELETE', keepalive: true, headers: {authorization: `Bearer ${token}`}})
          .catch(() => {});
      }
    }
  }

  /** What a pushed activity changes on the page. */
  async function onActivity(activity) {
    const roomId = activity.target && activity.target.globalId;
    switch (activity.verb) {
      case 'post':
      case 'share': {
        const messageId = hydraId('MESSAGE', activity.id);
        const room = state.rooms.get(roomId);
        if (!room) {
          await loadRooms();

          return;
        }
        room.lastActivity = activity.published;
        if (state.room && state.room.id === roomId) {
          const message = await request('GET', hydra(`/messages/${encodeURIComponent(messageId)}`));
          showMessage(message);
        } else {
          room.unread = true;
        }
        renderRooms();
        break;
      }
      case 'delete': {
        const messageId = hydraId('MESSAGE', activity.object && activity.object.id);
        const shown = $('messages').querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
        if (shown) {
          shown.replaceWith(element('li', 'message note', `${nameOf(hydraId('PEOPLE', activity.actor.entryUUID))} deleted a message`));
        }
        break;
      }
      case 'cardAction': {
        if (state.room && state.room.id === roomId) {
          const inputs = (activity.object && activity.object.inputs) || {};
          showNote(`${activity.actor.displayName || 'someone'} submitted a card: ${JSON.stringify(inputs)}`);
        }
        break;
      }
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

  // --- the request log -------------------------------------------------------------------

  const log = {seen: new Set(), source: null};

  /** Adds one request to the panel (once; newest on top). */
  function logRow(entry) {
    if (log.seen.has(entry.seq)) {
      return;
    }
    log.seen.add(entry.seq);
    const body = $('log').tBodies[0];
    const row = element('tr');
    row.dataset.seq = entry.seq;
    row.dataset.status = entry.status;
    row.dataset.class = String(entry.status).charAt(0);
    row.dataset.path = entry.path;
    row.append(element('td', 'time', clock(entry.time)), element('td', 'method', entry.method),
      element('td', 'path', entry.path), element('td', 'status', entry.status),
      element('td', 'ms', Number(entry.durationMs).toFixed(1)), element('td', 'tracking', entry.trackingId));
    row.cells[2].title = entry.path;
    row.cells[5].title = entry.trackingId;
    const older = [...body.rows].find((other) => Number(other.dataset.seq) < entry.seq);
    body.insertBefore(row, older || null);
    while (body.rows.length > LOG_ROWS) {
      const last = body.rows[body.rows.length - 1];
      log.seen.delete(Number(last.dataset.seq));
      last.remove();
    }
  }

  /** Reads the recent list (at start, after a reconnect, after falling behind). */
  async function loadRecent() {
    const recent = await admin('GET', '/_emulator/requests/recent');
    for (const entry of recent.items) {
      logRow(entry);
    }
  }

  /** Follows the request log live. */
  function followLog() {
    const source = new EventSource('/_emulator/requests/stream');
    log.source = source;
    const status = $('log-state');
    source.addEventListener('open', () => {
      // Possibly another emulator on the same port: start from its list.
      log.seen.clear();
      $('log').tBodies[0].replaceChildren();
      status.dataset.state = 'live';
      status.textContent = 'live';
      loadRecent().catch((error) => console.error(error));
    });
    source.addEventListener('request', (event) => logRow(JSON.parse(event.data)));
    source.addEventListener('lagged', () => loadRecent().catch((error) => console.error(error)));
    source.addEventListener('error', () => {
      status.dataset.state = 'reconnecting';
      status.textContent = 'reconnecting';
    });
  }

  // --- faults ----------------------------------------------------------------------------

  /** Queues a fault; shows what the emulator answered. */
  async function fault(body, what) {
    const result = $('fault-result');
    try {
      const answer = await admin('POST', '/_emulator/faults', body);
      result.textContent = answer && answer.sockets !== undefined
        ? `${what}: ${answer.sockets} socket(s) hit`
        : `${what}: queued`;
    } catch (error) {
      result.textContent = error.message;
    }
  }

  /** A positive whole number from an input, or the default. */
  function count(id, otherwise) {
    const value = Number.parseInt($(id).value, 10);

    return Number.isFinite(value) && value > 0 ? value : otherwise;
  }

  function wireFaults() {
    $('fault-429').addEventListener('submit', (event) => {
      event.preventDefault();
      const retryAfter = Number.parseInt($('fault-429-retry').value, 10);
      const body = {status: 429, count: count('fault-429-count', 1)};
      if (Number.isFinite(retryAfter) && retryAfter >= 0) {
        body.retryAfter = retryAfter;
      }
      if ($('fault-429-path').value.trim()) {
        body.pathPrefix = $('fault-429-path').value.trim();
      }
      fault(body, `429 on ${body.pathPrefix || 'any path'}`);
    });
    $('fault-5xx').addEventListener('submit', (event) => {
      event.preventDefault();
      const body = {status: Number($('fault-5xx-status').value), count: count('fault-5xx-count', 1)};
      if ($('fault-5xx-path').value.trim()) {
        body.pathPrefix = $('fault-5xx-path').value.trim();
      }
      fault(body, `${body.status} on ${body.pathPrefix || 'any path'}`);
    });
    $('fault-mercury').addEventListener('submit', (event) => {
      event.preventDefault();
      const body = {mercury: 'close', code: Number($('fault-mercury-code').value)};
      if ($('fault-mercury-mine').checked && state.me) {
        body.personId = state.me.id;
      }
      fault(body, `close ${body.code}`);
    });
    $('faults-clear').addEventListener('click', async () => {
      try {
        await admin('DELETE', '/_emulator/faults');
        $('fault-result').textContent = 'faults cleared';
      } catch (error) {
        $('fault-result').textContent = error.message;
      }
    });
  }

  // --- wiring ----------------------------------------------------------------------------

  function wireChat() {
    $('person-select').addEventListener('change', (event) => choose(event.target.value));
    $('people-reload').addEventListener('click', () => loadPeople().catch(showError));
    $('rooms-reload').addEventListener('click', () => state.me && loadRooms().catch(showError));
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
    window.addEventListener('pagehide', () => {
      if (state.mercury) {
        state.mercury.stop();
      }
    });
  }

  async function main() {
    wireChat();
    wireFaults();
    followLog();
    await loadPeople();
    const wanted = /^#person=(.+)$/.exec(location.hash);
    if (wanted && state.byId.has(decodeURIComponent(wanted[1]))) {
      $('person-select').value = decodeURIComponent(wanted[1]);
      await choose(decodeURIComponent(wanted[1]));
    }
  }

  main().catch(showError);
})();
