// What the page shows, drawn again from each /v1/status answer.

import { el, clear, $, describeAnswers, ago } from './dom.js';

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
    const first = s.regions[0];
    const normal = s.answers.length > 0 && s.answers[0].region === first ? 'normal' : `normally ${first}`;
    body.append(el('tr', { 'data-service': name },
      el('td', {}, el('strong', { text: name }), ' ', s.policy, ' ', flags),
      el('td', { class: 'answers', text: describeAnswers(s.answers) }),
      el('td', { text: `${s.ttl_seconds}s` }),
      el('td', { class: 'why', text: s.reason }),
      el('td', { class: normal === 'normal' ? 'ok' : 'warn', text: normal + (s.pending ? ` (pending: ${describeAnswers(s.pending.answers)})` : '') }),
      el('td', {}, s.paused ? actions.button('Resume', 'resume', { service: name }) : actions.button('Pause', 'pause', { service: name }))));
  }
}

/** Regions × vantages: every endpoint's state as each vantage sees it, and the verdict. */
export function regions(status, actions) {
  const root = clear($('regions'));
  const drains = status.overrides.filter((o) => o.kind === 'DRAIN');
  for (const [name, r] of Object.entries(status.regions)) {
    const drained = drains.some((o) => o.region === name);
    const table = el('table', { class: 'matrix' },
      el('thead', {}, el('tr', {}, el('th', { text: 'Endpoint' }), el('th', { text: 'Verdict' }),
        status.vantages.map((v) => el('th', { text: `from ${v}` })), el('th', { text: 'Last probe' }))),
      el('tbody', {}, r.endpoints.map((e) => el('tr', { 'data-endpoint': e.id },
        el('td', { text: `${e.address}:${e.port}` }),
        el('td', {}, el('span', { class: `state ${e.state.toLowerCase()}`, text: e.state }), ' ', el('small', { text: e.votes })),
        status.vantages.map((v) => {
          const seen = e.vantages[v];
          return seen
            ? el('td', { title: seen.last_error || 'ok' }, el('span', { class: `state ${seen.state.toLowerCase()}`, text: seen.state }),
              ' ', el('small', { text: `${Math.round(seen.last_latency_ms)} ms${seen.last_error ? ' · ' + seen.last_error : ''}` }))
            : el('td', { class: 'muted', text: 'no report' });
        }),
        el('td', { text: Object.entries(e.last_probe_ms || {}).map(([k, v]) => `${k} ${v} ms`).join(', ') })))));
    root.append(el('article', { class: `region ${r.up ? 'up' : 'down'}`, 'data-region': name },
      el('h3', {}, name, ' ', el('span', { class: `state ${r.up ? 'up' : 'down'}`, text: r.up ? 'IN SERVICE' : 'OUT OF SERVICE' }),
        drained ? el('span', { class: 'badge warn', text: 'drained' }) : null,
        el('small', { text: ` priority ${r.priority}, p50 ${r.latency_p50_ms ?? '–'} ms, p95 ${r.latency_p95_ms ?? '–'} ms` }),
        el('span', { class: 'spacer' }),
        drained ? actions.button('Undrain', 'undrain', { region: name }) : actions.button('Drain', 'drain', { region: name })),
      el('p', { class: 'why', text: r.reason }),
      table));
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
