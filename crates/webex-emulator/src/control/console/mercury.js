// A person's device and its Mercury socket, as the SDKs run them: registered at WDM, connected
// with the authorization frame, ready on `mercury.buffer_state`, every frame with an id acked,
// pinged while ready, reconnected with backoff (registered anew when the device is gone),
// refreshed before its ttl runs out, and deleted when the page stops acting as the person.

import {request} from './http.js';
import {SESSION, trackingId, uuid} from './ids.js';

/** The model the page's devices carry, to find its own leftovers at WDM. */
const DEVICE_MODEL = 'webex-emulator-chat';
/** A device lives this long (s) unless refreshed; it is refreshed at a third. */
const DEVICE_TTL = 600;
/** Pings every this many ms once ready. */
const PING_INTERVAL = 30000;
/** The first wait before a reconnect; it doubles up to the last. */
const FIRST_BACKOFF = 1000;
const LAST_BACKOFF = 16000;

/** The registration body WDM keeps. */
function deviceBody() {
  return {
    deviceName: 'webex-emulator chat page',
    deviceType: 'WEB',
    localizedModel: DEVICE_MODEL,
    model: DEVICE_MODEL,
    name: `chat-page-${SESSION}`,
    systemName: 'browser',
    systemVersion: navigator.userAgent.slice(0, 60),
    ttl: DEVICE_TTL,
  };
}

/**
 * The events of `token`'s person. `onActivity(activity)` gets each `conversation.activity`,
 * `onReady(again)` each readiness (`again` after a drop, when what happened meanwhile should be
 * read again), `onState(kind, text)` what to show (`connecting`, `ready`, `closed`).
 */
export class Mercury {
  constructor({token, wdm, onActivity, onReady, onState}) {
    Object.assign(this, {token, wdm, onActivity, onReady, onState});
    this.device = null;
    this.socket = null;
    this.stopped = false;
    this.backoff = FIRST_BACKOFF;
    this.wasReady = false;
    this.timers = new Set();
  }

  /** Runs `fn` after `ms` unless stopped first. */
  later(ms, fn) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) {
        fn();
      }
    }, ms);
    this.timers.add(timer);
  }

  /** A WDM or device call with the person's token. */
  call(method, url, body) {
    return request(method, url, {token: this.token, body});
  }

  async start() {
    try {
      await this.register();
      this.connect();
    } catch (error) {
      this.retry(`device registration failed: ${error.message}`);
    }
  }

  async register() {
    this.onState('connecting', 'registering a device');
    let device;
    try {
      device = await this.call('POST', `${this.wdm}/devices`, deviceBody());
    } catch (error) {
      if (!(error.status === 403 && /excessive device registrations/i.test(error.webexMessage || ''))) {
        throw error;
      }
      // Devices an earlier page left behind: delete this page's kind only, then try again.
      const list = await this.call('GET', `${this.wdm}/devices`);
      for (const old of (list.devices || []).filter((d) => d.model === DEVICE_MODEL)) {
        await this.call('DELETE', old.url).catch(() => {});
      }
      device = await this.call('POST', `${this.wdm}/devices`, deviceBody());
    }
    if (this.stopped) {
      this.call('DELETE', device.url).catch(() => {});
      throw new Error('stopped');
    }
    this.device = device;
    this.later(DEVICE_TTL * 1000 / 3, () => this.refresh());
  }

  /** Keeps the device alive (`PUT <url>`), every third of its ttl. */
  async refresh() {
    if (!this.device) {
      return;
    }
    try {
      this.device = await this.call('PUT', this.device.url, deviceBody());
    } catch (error) {
      if (error.status === 404) {
        this.device = null;
      }
    }
    this.later(DEVICE_TTL * 1000 / 3, () => this.refresh());
  }

  connect() {
    if (this.stopped) {
      return;
    }
    this.onState('connecting', 'connecting');
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
      if (this.stopped) {
        return;
      }
      if (event.code === 4404 || event.code === 4401) {
        // The device is gone (or not this token's): register anew.
        this.device = null;
      }
      this.retry(`closed ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
    });
  }

  /** Tries again after the current backoff. */
  retry(why) {
    if (this.stopped) {
      return;
    }
    this.onState('closed', `${why}; again in ${this.backoff / 1000} s`);
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, LAST_BACKOFF);
    this.later(wait, async () => {
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
      this.onActivity(data.activity);
    }
  }

  ready(socket) {
    this.onState('ready', 'live');
    this.backoff = FIRST_BACKOFF;
    const ping = () => {
      if (this.socket === socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({id: uuid(), type: 'ping'}));
        this.later(PING_INTERVAL, ping);
      }
    };
    this.later(PING_INTERVAL, ping);
    this.onReady(this.wasReady);
    this.wasReady = true;
  }

  /** Closes the socket and deletes the device (also while the page unloads). */
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
      request('DELETE', this.device.url, {token: this.token, keepalive: true}).catch(() => {});
      this.device = null;
    }
  }
}
