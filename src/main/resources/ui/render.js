// What the page shows, from each /v1/status answer: small parts drawn again, the matrix updated in place.

import { el, clear, $, describeAnswers, ago, patch, keyed } from './dom.js';

function pill(id, text, kind) {
  const p = $(id);
  p.hidden = false;
  p.textContent = text;
  p.className = `pill ${kind || ''}`;
}

/** Automation on or paused (by whom, since when, until when), who answers, who leads. */
export function statusBar(status) {
  const pauses = status.overrides.filter((o) => o.kind === 'PAUSE');
  if (pauses.length === 0) {
    pill('automation', 'automation on', 'good');
  } else {
    const p = pauses[0];
    const what = p.service === '*' ? 'automation paused' : `automation paused for ${p.service}`;
    pill('automation', `${what} by ${p.actor} since ${ago(p.at)}${p.expires_at ? ', until ' + p.expires_at : ''}`
      + (pauses.length > 1 ? ` (+${pauses.length - 1} more)` : ''), 'warn');
  }
  pill('daemon', `answering: ${status.vantage}${status.ready ? '' : ' (not ready)'}`, status.ready ? '' : 'warn');
  const c = status.coordination || {};
  if (c.type === 'etcd') {
    pill('leader', c.leader ? `leader: ${c.leader}${c.acting ? ' (this daemon)' : ''}` : 'no leader', c.leader ? '' : 'bad');
  } else {
    pill('leader', 'single daemon (local coordination)', '');
  }
}

/** Each service's answers now, the rule that chose them, and how that differs from its normal answer. */
export function services(status, actions) {
  const body = clear($('services').querySelector('tbody'));
  for (const [name, s] of Object.entries(status.services)) {
    const flags = [];
    if (s.fail_open) flags.push(el('span', { class: 'badge bad', text: 'FAIL-OPEN' }));
    if (s.paused) flags.push(el('span', { class: 'badge warn', text: 'paused' }));
    if (s.pinned_to) flags.push(el('span', { class: 'badge warn', text: `pinned to ${s.pinned_to}` }));
    for (const d of s.drained) flags.push(el('span', { class: 'badge warn', text: `${d} drained` }));
    if (s.load && s.load.unplaced > 0) flags.push(el('span', { class: 'badge bad', text: 'over capacity', title: s.load.summary }));
    const first = s.regions[0];
    const normal = s.answers.length > 0 && s.answers[0].region === first ? 'normal' : `normally ${first}`;
    body.append(el('tr', { 'data-service': name },
      el('td', {}, el('strong', { text: name }), ' ', s.policy, ' ', flags),
      el('td', { class: 'answers', text: describeAnswers(s.answers), title: describeAnswers(s.answers, { full: true }) }),
      el('td', { text: `${s.ttl_seconds}s` }),
      el('td', { class: 'why', text: s.reason, title: s.load ? s.load.summary : '' }),
      el('td', { class: normal === 'normal' ? 'ok' : 'warn', text: normal + (s.pending ? ` (pending: ${describeAnswers(s.pending.answers)})` : '') }),
      el('td', { class: 'controls' }, s.paused ? actions.button('Resume', 'resume', { service: name }) : actions.button('Pause', 'pause', { service: name }),
        s.pinned_to ? actions.button('Fail back', 'failback', { service: name }) : failoverControl(name, s, actions),
        s.cooldown_until ? actions.button('Ack', 'ack', { service: name }) : null)));
  }
}

/** The region picked per service: the table is drawn again every refresh, the choice stays. */
const failoverTo = {};

/** A region to pin the service to, and the button that previews it. */
function failoverControl(name, s, actions) {
  const serving = new Set(s.answers.map((a) => a.region));
  const choices = s.regions.filter((r) => !serving.has(r));
  if (choices.length === 0) return null;
  const picked = choices.includes(failoverTo[name]) ? failoverTo[name] : choices[0];
  const select = el('select', { 'aria-label': `fail ${name} over to`, 'data-failover-to': name },
    choices.map((r) => el('option', { value: r, text: r, selected: r === picked })));
  const target = { service: name, region: picked }; // the button previews whatever is selected when clicked
  select.addEventListener('change', () => {
    target.region = select.value;
    failoverTo[name] = select.value;
  });
  return el('span', { class: 'inline' }, select, actions.button('Fail over', 'failover', target));
}

/** Regions × vantages: every endpoint's state as each vantage sees it, and the verdict. */
export function regions(status, actions) {
  const root = $('regions');
  if (!root.onclick) {
    // One listener for every row's chart link: a thousand rows are cloned from one, without handlers of their own.
    root.onclick = (ev) => {
      const b = ev.target.closest('button[data-chart-endpoint]');
      if (b) actions.chart(b.closest('[data-region]').dataset.region, b.dataset.chartEndpoint);
    };
  }
  const articles = keyed(root, Object.keys(status.regions), (name) => el('article', { 'data-region': name },
    el('h3'), el('p', { class: 'why' }), el('table', { class: 'matrix', role: 'table' }, el('thead', { role: 'rowgroup' }), el('tbody', { role: 'rowgroup' }))));
  for (const [name, r] of Object.entries(status.regions)) {
    const article = articles.get(name);
    patch(article, { cls: `region ${r.up ? 'up' : 'down'}` });
    // The heading is small: drawn again each time (its buttons follow the role and the drains).
    article.replaceChild(regionHeading(name, r, status, actions), article.firstChild);
    patch(article.querySelector('p.why'), { text: r.reason });
    matrix(article.querySelector('table'), r, status.vantages);
  }
}

/** The region's name, in or out of service, its drains and capacity, and the drain or undrain button. */
function regionHeading(name, r, status, actions) {
  const drains = status.overrides.filter((o) => o.kind === 'DRAIN' && o.region === name);
  const all = drains.find((o) => o.service === '*');
  const some = drains.filter((o) => o.service !== '*');
  const who = (o) => `${o.service === '*' ? 'every service' : o.service}: by ${o.actor}, ${o.reason}${o.expires_at ? ', until ' + o.expires_at : ''}`
    + (o.ramp_until ? `, ramping until ${o.ramp_until}` : '');
  const c = r.capacity;
  const capacity = !c ? '' : c.used !== undefined && c.used !== c.declared
    ? `, capacity ${Math.round(c.used)} (declared ${c.declared}, reported ${c.reported ?? '–'})` : `, capacity ${c.declared}`;
  return el('h3', {}, name, ' ', el('span', { class: `state ${r.up ? 'up' : 'down'}`, text: r.up ? 'IN SERVICE' : 'OUT OF SERVICE' }),
    all ? el('span', { class: 'badge warn', text: all.ramp_until ? 'draining' : 'drained', title: who(all) }) : null,
    some.length > 0 ? el('span', { class: 'badge warn', text: `maintenance: drained for ${some.map((o) => o.service).join(', ')}`,
      title: some.map(who).join('\n') }) : null,
    c && c.ready === false ? el('span', { class: 'badge bad', text: 'reports not ready', title: c.detail }) : null,
    el('small', { text: ` priority ${r.priority}, p50 ${r.latency_p50_ms ?? '–'} ms, p95 ${r.latency_p95_ms ?? '–'} ms${capacity}` }),
    el('span', { class: 'spacer' }),
    all ? actions.button('Undrain', 'undrain', { region: name }) : actions.button('Drain', 'drain', { region: name }));
}

/** The endpoints × vantages table, updated in place: a row per endpoint, kept across refreshes. */
function matrix(table, r, vantages) {
  const head = table.tHead;
  const columns = vantages.join('\u0000');
  if (head.dataset.columns !== columns) {
    const th = (text) => el('th', { role: 'columnheader', text });
    clear(head).append(el('tr', { role: 'row' }, th('Endpoint'), th('Verdict'), vantages.map((v) => th(`from ${v}`)), th('Last probe')));
    head.dataset.columns = columns;
  }
  // A row's cells follow the vantages: when they change, every row is made again.
  const blank = emptyRow(vantages.length);
  const rows = keyed(table.tBodies[0], r.endpoints.map((e) => `${e.id}\u0000${columns}`), (key) => endpointRow(blank, key.split('\u0000')[0]));
  for (const e of r.endpoints) {
    const cells = rows.get(`${e.id}\u0000${columns}`).cells;
    const flaps = cells[0].lastChild;
    patch(flaps, { text: e.flaps_last_hour > 0 ? `${e.flaps_last_hour} flaps/h` : '', cls: e.flaps_last_hour > 0 ? 'badge warn' : '' });
    patch(cells[1].firstChild, { text: e.state, cls: `state ${e.state.toLowerCase()}` });
    patch(cells[1].lastChild, { text: e.votes });
    vantages.forEach((v, i) => {
      const seen = e.vantages[v];
      const cell = cells[2 + i];
      patch(cell, { cls: seen ? '' : 'muted', title: seen ? seen.last_error || 'ok' : '' });
      patch(cell.firstChild, { text: seen ? seen.state : 'no report', cls: seen ? `state ${seen.state.toLowerCase()}` : '' });
      patch(cell.lastChild, { text: seen ? `${Math.round(seen.last_latency_ms)} ms${seen.last_error ? ' · ' + seen.last_error : ''}` : '' });
    });
    patch(cells[2 + vantages.length], { text: Object.entries(e.last_probe_ms || {}).map(([k, v]) => `${k} ${v} ms`).join(', ') });
  }
}

/** Empty rows by vantage count: cloning one is much cheaper than building a thousand element by element. */
const blankRows = new Map();

function emptyRow(vantageCount) {
  if (!blankRows.has(vantageCount)) {
    // Roles spelled out: rows shown as grids are no longer a table to assistive technology otherwise.
    const td = (...children) => el('td', { role: 'cell' }, ...children);
    blankRows.set(vantageCount, el('tr', { role: 'row' },
      td(el('span', { class: 'endpoint' }), ' ', el('button', { type: 'button', class: 'link', title: 'latency of this endpoint per vantage' },
        'chart'), ' ', el('span', { title: 'verdict changes in the last hour' })),
      td(el('span'), ' ', el('small')),
      Array.from({ length: vantageCount }, () => td(el('span'), ' ', el('small'))),
      td()));
  }
  return blankRows.get(vantageCount);
}

/** One endpoint's row, empty: {@link matrix} fills it. */
function endpointRow(blank, id) {
  const row = blank.cloneNode(true);
  row.dataset.endpoint = id;
  row.cells[0].firstChild.textContent = id.slice(id.indexOf('/') + 1);
  row.cells[0].querySelector('button').dataset.chartEndpoint = id;
  return row;
}

/** Database clusters: members, roles, lag against the RPO, the write name, the last role change and its steps. */
export function databases(status, actions) {
  const list = status.databases || [];
  $('databases-panel').hidden = list.length === 0;
  const root = clear($('databases'));
  for (const c of list) {
    const rows = c.members.map((m) => {
      const lagBad = m.lag_bytes > c.rpo_bytes || (m.replay_age_ms ?? 0) > c.rpo_lag_ms;
      return el('tr', { 'data-member': m.id },
        el('td', {}, m.id, c.write_to === m.id ? el('span', { class: 'badge', text: `← ${c.write_name}` }) : null),
        el('td', { text: m.region }),
        el('td', {}, el('span', { class: `state ${(m.role || 'unknown').toLowerCase() === 'primary' ? 'up' : 'unknown'}`, text: m.role || 'UNKNOWN' })),
        el('td', {}, el('span', { class: `state ${m.health.toLowerCase()}`, text: m.health }), m.error ? el('small', { text: ` ${m.error}` }) : null),
        el('td', { class: lagBad ? 'bad' : '', text: m.role === 'PRIMARY' ? '–' : `${m.lag_bytes < 0 ? '?' : m.lag_bytes} B of ${c.rpo_bytes} B` }),
        el('td', { class: lagBad ? 'bad' : '', text: m.replay_age_ms == null ? '–' : `${(m.replay_age_ms / 1000).toFixed(1)} s of ${c.rpo_lag_ms / 1000} s` }),
        el('td', {}, m.role === 'REPLICA' ? actions.button('Switch over here', 'db-switchover', { cluster: c.name, member: m.id }) : null));
    });
    const last = c.last_change;
    root.append(el('article', { class: 'cluster', 'data-cluster': c.name },
      el('h3', {}, c.name, ' ', el('small', { text: `${c.kind}, write name ${c.write_name} → ${c.write_to || '(withdrawn)'}` }),
        c.running ? el('span', { class: 'badge warn', text: `${c.running.kind} to ${c.running.to} running` }) : null,
        c.cooldown_until ? el('span', { class: 'badge warn', text: `cooldown until ${c.cooldown_until}` }) : null,
        c.automatic ? null : el('span', { class: 'badge warn', text: 'automatic failover off' }),
        el('span', { class: 'spacer' }),
        actions.button('Fail over', 'db-failover', { cluster: c.name }),
        c.cooldown_until ? actions.button('Ack', 'db-ack', { cluster: c.name }) : null),
      el('table', { class: 'members' },
        el('thead', {}, el('tr', {}, ['Member', 'Region', 'Role', 'Health', 'Lag (bytes, RPO)', 'Replay age (RPO)', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, rows)),
      last ? el('div', { class: 'last-change' },
        el('p', {}, el('strong', { text: `Last role change ${last.id}: ${last.kind} ${last.from || '(none)'} → ${last.to}` }),
          ` by ${last.actor}, ${last.outcome}${last.duration_ms != null ? ` in ${last.duration_ms} ms` : ''}`,
          el('span', { class: 'why', text: ` — why: ${last.reason}` })),
        el('ol', { class: 'steps' }, last.steps.map((st) => el('li', { class: `step ${st.state}` },
          el('span', { class: 'kind', text: st.step }), ` ${st.state}`, st.detail ? el('small', { text: `: ${st.detail}` }) : null))))
        : el('p', { class: 'muted', text: 'No role change run by this daemon since it started (the timeline has older ones).' })));
  }
}

/** One timeline entry. */
export function eventItem(e) {
  const who = e.actor && e.actor !== 'automation' ? ` by ${e.actor}` : '';
  return el('li', { class: `event ${String(e.kind || '').toLowerCase()}`, 'data-seq': e.seq },
    el('time', { text: (e.time || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z') }), ' ',
    el('span', { class: 'kind', text: e.kind }), ' ',
    el('span', { class: 'subject', text: e.subject || '' }), who, ': ',
    el('span', { text: e.message || e.action || '' }),
    e.phase ? el('small', { text: ` (${e.phase})` }) : null,
    who && e.reason ? el('span', { class: 'why', text: ` — why: ${e.reason}` }) : null);
}
