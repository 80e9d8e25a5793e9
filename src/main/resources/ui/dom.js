// DOM built from data with textContent only: nothing the API returns is ever parsed as HTML.

/** An element with classes, attributes and children (strings become text nodes). */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const $ = (id) => document.getElementById(id);

/** Addresses shown per answer set; the rest are counted (a region of 300 endpoints stays one line). */
const SHOWN = 8;

/** "us-east 127.0.1.1, 127.0.1.2" for each answer set; {full: true} lists every address (for a tooltip). */
export function describeAnswers(answers, { full = false } = {}) {
  if (!answers || answers.length === 0) return '(none)';
  return answers.map((a) => {
    const n = a.addresses.length;
    const shown = full || n <= SHOWN ? a.addresses.join(', ') : `${a.addresses.slice(0, SHOWN).join(', ')} … and ${n - SHOWN} more`;
    return `${a.region}${a.weight !== 1 ? ' w' + a.weight : ''} ${shown}`;
  }).join(' | ');
}

export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}

/**
 * Writes only what differs: at 1,000 rows a refresh that sets every cell again, or draws the table
 * again, costs the page a long task; one that touches what moved does not.
 */
export function patch(node, { text, cls, title } = {}) {
  if (text !== undefined && node.textContent !== text) node.textContent = text;
  if (cls !== undefined && node.className !== cls) node.className = cls;
  if (title !== undefined && node.title !== title) node.title = title;
  return node;
}

/**
 * Makes {@code parent}'s children the nodes of {@code keys}, in that order: a key seen before keeps its
 * node (moved only if out of place), a new one gets make(key), the nodes of keys gone are removed.
 * Returns key → node. {@code parent} holds only these nodes.
 */
export function keyed(parent, keys, make) {
  const old = parent.keyedNodes || new Map();
  const next = new Map();
  let at = parent.firstChild;
  for (const k of keys) {
    const node = old.get(k) || make(k);
    next.set(k, node);
    if (node === at) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
  for (const [k, n] of old) if (!next.has(k)) n.remove();
  parent.keyedNodes = next;
  return next;
}
