// Who the chat page acts as, and what it shows: the one state its modules share.

import {request} from './http.js';

export const state = {
  /** Everyone, from the admin list, by Hydra id. */
  byId: new Map(),
  /** The person acted as (an item of GET /_emulator/people), or null. */
  me: null,
  /** `{hydra, wdm}` from the catalog. */
  services: null,
  /** The person's rooms by id, each with `unread`. */
  rooms: new Map(),
  /** The open room, or null. */
  room: null,
  /** The open room's members but the person. */
  members: [],
  /** The thread a message goes to (a message id), or null. */
  replyTo: null,
  /** Bumped on every person switch: async work of an earlier person drops its result. */
  session: 0,
};

/** A public API call as the person acted as; `path` under Hydra's base. */
export function hydra(method, path, options = {}) {
  return request(method, `${state.services.hydra}${path}`, {...options, token: state.me.accessToken});
}

/** The name to show for a person id. */
export function nameOf(personId, fallback) {
  const person = state.byId.get(personId);

  return person ? person.displayName : fallback || 'someone';
}
