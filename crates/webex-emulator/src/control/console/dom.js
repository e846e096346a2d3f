// Small DOM helpers of the chat page: every text goes in as text, never as HTML.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with a class and text. */
export function element(tag, className, text) {
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
export function clock(iso) {
  const date = new Date(iso);

  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], {hour12: false});
}

/** Shows an error under the composer (or clears it). */
export function showError(error) {
  $('composer-error').textContent = error ? String(error.message || error) : '';
  if (error) {
    console.error(error);
  }
}
