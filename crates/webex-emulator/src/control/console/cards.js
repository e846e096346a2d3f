// Adaptive Cards on the chat page: shown as what they say and their JSON, with their
// `Input.*` elements as a form whose submit actions post an attachment action. Not a renderer.

import {element} from './dom.js';

/** The Adaptive Card attachment type. */
export const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A small card to start from. */
export const EXAMPLE_CARD = {
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

/** Every element of a card body whose `keep` holds, in order (inside containers and columns). */
function walk(elements, keep, out = []) {
  for (const item of elements || []) {
    if (!item || typeof item !== 'object') {
      continue;
    }
    if (keep(item)) {
      out.push(item);
    }
    walk(item.items, keep, out);
    walk(item.columns, keep, out);
  }

  return out;
}

/** A form field for one input; returns [label, read()] (values as Webex sends them: text). */
function field(input) {
  const label = element('label', '', input.label || input.title || input.id);
  let node;
  let read;
  switch (input.type) {
    case 'Input.Toggle': {
      node = element('input');
      node.type = 'checkbox';
      const on = input.valueOn === undefined ? 'true' : String(input.valueOn);
      const off = input.valueOff === undefined ? 'false' : String(input.valueOff);
      node.checked = String(input.value) === on;
      read = () => (node.checked ? on : off);
      break;
    }
    case 'Input.ChoiceSet': {
      node = element('select');
      node.multiple = Boolean(input.isMultiSelect);
      const chosen = String(input.value || '').split(',');
      for (const choice of input.choices || []) {
        const option = element('option', '', choice.title);
        option.value = String(choice.value);
        option.selected = chosen.includes(option.value);
        node.append(option);
      }
      read = () => [...node.selectedOptions].map((option) => option.value).join(',');
      break;
    }
    default: {
      const types = {'Input.Number': 'number', 'Input.Date': 'date', 'Input.Time': 'time'};
      node = input.isMultiline ? element('textarea') : element('input');
      if (!input.isMultiline) {
        node.type = types[input.type] || 'text';
      }
      if (input.placeholder) {
        node.placeholder = input.placeholder;
      }
      if (input.min !== undefined) {
        node.min = input.min;
      }
      if (input.max !== undefined) {
        node.max = input.max;
      }
      node.value = input.value === undefined ? '' : String(input.value);
      read = () => node.value;
    }
  }
  node.dataset.inputId = input.id;
  label.append(node);

  return [label, read];
}

/**
 * A card: what its text blocks say, its JSON (structured), its inputs as a form. Each
 * `Action.Submit` (or one "Submit" when it has none) calls `submit(inputs)`, which resolves to
 * the attachment action; like Adaptive Cards hosts, the action's `data` object is merged in.
 */
export function renderCard(card, submit) {
  const box = element('div', 'card');
  box.dataset.card = 'adaptive';
  for (const text of walk(card.body, (item) => item.type === 'TextBlock' && item.text)) {
    box.append(element('div', 'card-text', text.text));
  }
  const json = element('details');
  json.append(element('summary', '', 'Adaptive Card JSON'), element('pre', '', JSON.stringify(card, null, 2)));
  box.append(json);
  const inputs = walk(card.body, (item) => typeof item.type === 'string' && item.type.startsWith('Input.') && item.id);
  const submits = (card.actions || []).filter((action) => action && action.type === 'Action.Submit');
  if (!inputs.length && !submits.length) {
    return box;
  }
  const form = element('form', 'card-form');
  const readers = inputs.map((input) => {
    const [label, read] = field(input);
    form.append(label);

    return [input.id, read];
  });
  const status = element('span', 'dim');
  for (const action of submits.length ? submits : [{title: 'Submit'}]) {
    const button = element('button', '', action.title || 'Submit');
    button.type = 'button';
    button.addEventListener('click', async () => {
      const values = action.data && typeof action.data === 'object' ? {...action.data} : {};
      for (const [id, read] of readers) {
        values[id] = read();
      }
      try {
        const submitted = await submit(values);
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
