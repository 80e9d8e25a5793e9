// The API, with the token kept in sessionStorage (this tab only; never in a URL or a log).

const KEY = 'meridian.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/** GET or POST; resolves to {status, body}; a network failure resolves to status 0. */
export async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token.get()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    let json = {};
    try {
      json = await r.json();
    } catch (e) {
      json = {};
    }
    return { status: r.status, body: json };
  } catch (e) {
    return { status: 0, body: { error: { message: `the daemon cannot be reached (${e.message})` } } };
  }
}

export function errorText(r) {
  const e = r.body && r.body.error;
  return (e && e.message) || (r.body && r.body.message) || `HTTP ${r.status}`;
}
