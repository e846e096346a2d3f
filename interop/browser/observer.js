// A second person in the meeting, as a plain Mercury client: it registers a
// device, opens its Mercury socket and joins the meeting over Locus's HTTP
// API the way the JS SDK does, then records every `locus.*` event pushed to
// it. The browser suite checks what it sees of the browser's participant.
// Only the wire is shared with the browser: no SDK runs here.

'use strict';

const crypto = require('crypto');
const WebSocket = require('ws');

const {Waiting} = require('./waiting');

/** `{method} {url}` as `token`; the parsed body. */
async function call(token, method, url, body) {
  const res = await fetch(url, {
    method,
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${url}: ${res.status} ${text}`);
  }

  return text ? JSON.parse(text) : null;
}

class Observer {
  /** @param {string} base emulator base URL @param {{accessToken: string}} person */
  constructor(base, person) {
    this.base = base;
    this.token = person.accessToken;
    /** Every participant seen, by id, as last pushed. */
    this.participants = new Map();
    /** Event types received, in order. */
    this.eventTypes = [];
    this.waiting = new Waiting();
  }

  /** Catalog, device, Mercury socket (ready on `mercury.buffer_state`). */
  async connect() {
    const catalog = await call(this.token, 'GET', `${this.base}/u2c/api/v1/catalog?format=hostmap`);
    this.services = catalog.serviceLinks;
    this.device = await call(this.token, 'POST', `${this.services.wdm}/devices`, {
      name: 'interop-observer', deviceType: 'WEB', model: 'webex-rs-interop', localizedModel: 'webex-rs-interop',
      systemName: 'webex-rs-interop', systemVersion: '1.0.0',
    });
    this.socket = await this.open(this.device.webSocketUrl, (data) => {
      if (typeof data.eventType === 'string' && data.eventType.startsWith('locus.')) {
        this.receive(data.eventType, data.locus);
      }
    });
  }

  /**
   * Registers the device to the meeting's data channel (the join DTO's
   * `info.datachannelUrl`) and opens that socket; relayed events are kept in
   * `this.relayed`.
   */
  async openDataChannel() {
    const url = this.locus && this.locus.info && this.locus.info.datachannelUrl;
    if (!url) {
      throw new Error('the join DTO has no info.datachannelUrl');
    }
    const registration = await call(this.token, 'POST', url, {deviceUrl: this.device.url});
    this.relayed = [];
    this.dataChannel = await this.open(registration.webSocketUrl, (data) => {
      if (data.eventType === 'relay.event') {
        this.relayed.push(data);
        this.waiting.wake();
      }
    });
  }

  /**
   * Opens a Mercury-framed socket: authorizes, acks every frame with an id,
   * resolves on `mercury.buffer_state`, hands every other envelope's data
   * to `onData`.
   */
  open(url, onData) {
    const socket = new WebSocket(`${url}?outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true`);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({id: crypto.randomUUID(), type: 'authorization',
          data: {token: `Bearer ${this.token}`}}));
      });
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw));
        if (frame.id && frame.type !== 'pong') {
          socket.send(JSON.stringify({type: 'ack', messageId: frame.id}));
        }
        const data = frame.data || {};
        if (data.eventType === 'mercury.buffer_state') {
          resolve(socket);
        } else {
          onData(data);
        }
      });
    });
  }

  /** Resolves with the first relayed event `pred` accepts (at most 10 s). */
  waitForRelay(what, pred) {
    return this.waiting.until(() => (this.relayed || []).find(pred),
      () => `the observer's data channel never got ${what}; got ${JSON.stringify(this.relayed)}`);
  }

  /** Keeps the participants of a full or delta DTO; wakes waiters. */
  receive(eventType, locus) {
    this.eventTypes.push(eventType);
    for (const participant of (locus && locus.participants) || []) {
      this.participants.set(participant.id, participant);
    }
    this.waiting.wake();
  }

  /** Meeting info, then `loci/call`, as the JS SDK joins; the join's locus. */
  async join(meetingNumber) {
    const info = await call(this.token, 'POST', `${this.services['webex-appapi-service']}/meetingInfo`, {
      supportHostKey: true, supportCountryList: true, meetingKey: meetingNumber, disableWebRedirect: true,
    });
    const joined = await call(this.token, 'POST', `${this.services.locus}/loci/call?alternateRedirect=true`, {
      device: {url: this.device.url, deviceType: 'WEB'},
      usingResource: null,
      moveMediaToResource: false,
      correlationId: crypto.randomUUID(),
      respOnlySdp: true,
      allowMultiDevice: true,
      ensureConversation: false,
      supportsNativeLobby: 1,
      clientMediaPreferences: {ipver: 4, preferTranscoding: true},
      invitee: {address: info.meetingJoinUrl || info.sipUrl},
      ...(info.permissionToken ? {permissionToken: info.permissionToken} : {}),
    });
    this.receive('join response', joined.locus);
    this.locus = joined.locus;
    this.self = joined.locus.self;

    return joined.locus;
  }

  /** The participant with `email`, as last pushed. */
  participant(email) {
    for (const participant of this.participants.values()) {
      if (participant.person && String(participant.person.email).toLowerCase() === email.toLowerCase()) {
        return participant;
      }
    }

    return undefined;
  }

  /** Resolves with the participant once `pred(participant)` holds. */
  waitFor(email, what, pred) {
    return this.waiting.until(() => {
      const participant = this.participant(email);
      return participant && pred(participant) && participant;
    }, () => {
      const seen = this.participant(email);
      return `the observer never saw ${email} ${what}; events: ${this.eventTypes.join(', ')}; ` +
        `last seen: ${seen ? JSON.stringify({state: seen.state, controls: seen.controls}) : 'never'}`;
    });
  }

  /** Leaves the meeting (if joined) and closes the socket. */
  async close() {
    if (this.self) {
      await call(this.token, 'PUT', `${this.self.url}/leave`, {device: {url: this.device.url, deviceType: 'WEB'}})
        .catch(() => {});
    }
    for (const socket of [this.socket, this.dataChannel]) {
      if (socket) {
        socket.close(1000, 'done');
      }
    }
  }
}

module.exports = {Observer};
