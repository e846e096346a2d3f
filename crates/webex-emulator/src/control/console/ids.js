// Ids the chat page makes: UUIDs, tracking ids, and Hydra ids of what Mercury pushes.

/** A random v4 UUID (crypto.randomUUID needs a secure context; the page may run on http). */
export function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** This page's session: the middle of its tracking ids, and part of its device's name. */
export const SESSION = uuid();

let sent = 0;

/** A tracking id shaped like the SDKs' (`<prefix>_<session>_<n>`). */
export function trackingId() {
  sent += 1;

  return `WEBEX-EMULATOR-CHAT_${SESSION}_${sent}`;
}

/** The Hydra id of a conversation-service uuid (`ciscospark://us/TYPE/uuid`, unpadded). */
export function hydraId(type, id) {
  return btoa(`ciscospark://us/${type}/${id}`).replace(/=+$/, '');
}
