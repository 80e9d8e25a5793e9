// The dashboard: sign in, status every 2 s and on every event, the live event timeline, and changes
// that are always a dry run first, then a confirmation that applies exactly the plan shown.

import { call, errorText, token } from './api.js';
import { el, clear, $, describeAnswers } from './dom.js';
import { EventStream } from './stream.js';
import * as render from './render.js';
import * as chart from './chart.js';

const ROLES = ['viewer', 'operator', 'admin'];
const CHANGES = {
  drain: (t) => [`/v1/regions/${encodeURIComponent(t.region)}/drain`, {}, `Drain ${t.region}`],
  undrain: (t) => [`/v1/regions/${encodeURIComponent(t.region)}/undrain`, {}, `Undrain ${t.region}`],
  pause: (t) => ['/v1/pause', { service: t.service }, `Pause automation for ${t.service}`],
  resume: (t) => ['/v1/resume', { service: t.service }, `Resume automation for ${t.service}`],
  failover: (t) => ['/v1/failover', { service: t.service, to: t.region }, `Fail ${t.service} over to ${t.region}`],
  failback: (t) => ['/v1/failback', { service: t.service }, `Fail ${t.service} back`],
  ack: (t) => ['/v1/ack', { service: t.service }, `Acknowledge ${t.service} (end its cooldown)`],
  'db-failover': (t) => [`/v1/databases/${encodeURIComponent(t.cluster)}/failover`, {}, `Database failover of ${t.cluster}`],
  'db-switchover': (t) => [`/v1/databases/${encodeURIComponent(t.cluster)}/switchover`, { to: t.member }, `Switch ${t.cluster} over to ${t.member}`],
  'db-ack': (t) => [`/v1/databases/${encodeURIComponent(t.cluster)}/ack`, {}, `Acknowledge ${t.cluster} (end its cooldown)`],
};

const page = { status: null, who: null, updated: 0, timers: [], stream: null, busy: false, preview: null, events: [], endpointCharts: new Set() };

const actions = {
  /** A change button: disabled for a viewer (saying which role it needs) and while a change is in flight. */
  button(label, kind, target) {
    const allowed = page.who && ROLES.indexOf(page.who.role) >= ROLES.indexOf('operator');
    return el('button', {
      type: 'button', class: 'action', 'data-action': kind, 'data-target': target.member || target.cluster || target.service || target.region,
      disabled: !allowed || page.busy,
      title: allowed ? `${label}: shows the plan first` : `needs the operator role (you are ${page.who ? page.who.role : 'signed out'})`,
      onclick: () => preview(kind, target),
    }, label);
  },
  /** Adds an endpoint's own chart to the latency panel. */
  chart(region, id) {
    page.endpointCharts.add(`${region}\u0000${id}`);
    charts();
    $('charts').scrollIntoView({ behavior: 'smooth' });
  },
};

function flash(text, kind) {
  const f = $('flash');
  f.hidden = false;
  f.className = kind || '';
  f.textContent = text;
}

function setBusy(busy) {
  page.busy = busy;
  for (const b of document.querySelectorAll('button.action, #preview-confirm')) b.disabled = busy || !canChange();
}

function canChange() {
  return page.who && ROLES.indexOf(page.who.role) >= ROLES.indexOf('operator');
}

/** Refreshes in flight and asked for: never two at once, and a burst of events asks for one. */
const refreshing = { running: false, again: false, timer: null };

/** A refresh and the timeline drawn again within {@link EVENT_BATCH_MS}, however many events arrive meanwhile. */
const EVENT_BATCH_MS = 250;

function soon() {
  if (refreshing.timer) return;
  refreshing.timer = setTimeout(() => {
    refreshing.timer = null;
    showEvents();
    refresh();
  }, EVENT_BATCH_MS);
}

async function refresh() {
  if (refreshing.running) {
    refreshing.again = true;
    return;
  }
  refreshing.running = true;
  try {
    await refreshNow();
  } finally {
    refreshing.running = false;
    if (refreshing.again) {
      refreshing.again = false;
      soon();
    }
  }
}

async function refreshNow() {
  const r = await call('GET', '/v1/status');
  if (r.status !== 200) {
    $('stale').hidden = false;
    $('stale').textContent = `data is stale: ${errorText(r)}`;
    return;
  }
  const first = !page.status;
  if (first) performance.mark('meridian:status-read'); // the first draw's parts, for DashboardScaleIT
  page.status = r.body;
  page.updated = Date.now();
  $('stale').hidden = true;
  render.statusBar(r.body);
  render.services(r.body, actions);
  render.regions(r.body, actions);
  render.databases(r.body, actions);
  if (first) performance.mark('meridian:drawn');
}

function charts() {
  if (page.status) chart.latency(page.status, page.events, [...page.endpointCharts].map((k) => k.split('\u0000')), (k) => {
    page.endpointCharts.delete(k.join('\u0000'));
    charts();
  });
}

/** The dry run: what the change would do now, and what would hold it. */
async function preview(kind, target, note) {
  const [path, extra, title] = CHANGES[kind](target);
  setBusy(true);
  const r = await call('POST', path, { ...extra, reason: 'preview', dry_run: true });
  setBusy(false);
  if (r.status !== 200 && r.status !== 409) {
    flash(`${title}: ${errorText(r)}`, 'bad');
    return;
  }
  page.preview = { kind, target, path, extra, title, planId: r.body.plan_id };
  $('preview').hidden = false;
  $('preview-title').textContent = `Preview: ${title}`;
  $('preview-message').textContent = (note ? note + ' ' : '') + (r.body.accepted ? 'Would be taken: ' : 'Would be refused: ') + r.body.message;
  const body = clear($('preview-plan').querySelector('tbody'));
  const held = clear($('preview-held'));
  if (r.body.plan) {
    $('preview-plan').hidden = false;
    $('preview-steps').hidden = true;
    const services = (page.status && page.status.services) || {};
    const rows = [...r.body.plan.actions, ...r.body.plan.paused.map((a) => ({ ...a, kind: `${a.kind} (paused: not applied)` }))];
    for (const a of rows) {
      const now = services[a.service] ? describeAnswers(services[a.service].answers) : '';
      body.append(el('tr', {}, el('td', { text: a.service }), el('td', { text: a.kind }), el('td', { text: now }),
        el('td', { class: 'answers', text: a.load ? `${a.answers} (${a.load})` : a.answers }), el('td', { class: 'why', text: a.reason })));
    }
    if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 5, text: 'No answer changes.' })));
    for (const h of r.body.plan.held) held.append(el('li', { class: 'warn', text: `held by a safety rule: ${h}` }));
    for (const c of r.body.readiness || []) {
      held.append(el('li', { class: c.ok ? 'ok' : 'bad', text: `${c.ok ? 'ready' : 'NOT READY'}: ${c.service} → ${c.region}, ${c.check}: ${c.detail}` }));
    }
  } else {
    // A database change: the steps it would run, in order.
    $('preview-plan').hidden = true;
    const steps = clear($('preview-steps'));
    steps.hidden = false;
    const c = r.body.change;
    if (c) {
      steps.append(el('li', { text: `${c.kind}: ${c.from || '(no primary)'} → ${c.to}${c.forced ? ' (forced: data beyond the RPO may be lost)' : ''}` }));
      c.steps.forEach((st) => steps.append(el('li', { class: 'step', text: st })));
    }
  }
  $('preview-confirm').disabled = !r.body.accepted || !canChange();
  $('preview-reason').value = '';
  $('preview-reason').focus();
}

/** Applies exactly the plan previewed: a state that moved since gives 409 plan_changed, and a fresh preview. */
async function confirm() {
  const p = page.preview;
  const reason = $('preview-reason').value.trim();
  if (!reason) {
    flash('Say why (the reason goes into the audit trail).', 'bad');
    $('preview-reason').focus();
    return;
  }
  setBusy(true);
  flash(`${p.title}: applying…`, '');
  const r = await call('POST', p.path, { ...p.extra, reason, expect_plan: p.planId });
  setBusy(false);
  if (r.status === 200 || r.status === 202) {
    $('preview').hidden = true;
    page.preview = null;
    flash(`${p.title}: ${r.status === 202 ? 'started' : 'done'}. ${r.body.message}`, 'good');
  } else if (r.status === 409 && r.body.error && r.body.error.code === 'plan_changed') {
    flash(`${p.title}: the state changed since the preview, nothing was applied. Here is the plan now.`, 'warn');
    await preview(p.kind, p.target, 'The state changed since the last preview.');
  } else {
    flash(`${p.title}: ${errorText(r)}`, 'bad');
  }
  refresh();
}

function showEvents() {
  const filter = $('event-filter').value.trim().toLowerCase();
  const list = clear($('events'));
  for (const e of page.events) {
    if (!filter || JSON.stringify(e).toLowerCase().includes(filter)) list.append(render.eventItem(e));
  }
}

function onEvent(e) {
  page.events.unshift(e);
  page.events.length = Math.min(page.events.length, 300);
  soon(); // a start at 1,000 targets sends a thousand events at once: one redraw for them, not a thousand
}

function onStream(connected, why) {
  const s = $('stream');
  s.hidden = false;
  s.className = `pill ${connected ? 'good' : 'bad'}`;
  s.textContent = connected ? 'live' : `stream lost (${why}), reconnecting…`;
}

async function start() {
  const who = await call('GET', '/v1/whoami');
  if (who.status !== 200) {
    token.clear();
    $('signin-error').textContent = who.status === 401 ? 'That token is not accepted.' : `Cannot sign in: ${errorText(who)}`;
    return;
  }
  page.who = who.body;
  $('signin').hidden = true;
  $('app').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = `${who.body.name} (${who.body.role})`;
  // The timeline and the status at once: at 1,000 targets the status is a megabyte, no need to wait for it in turn.
  const [history] = await Promise.all([call('GET', '/v1/events?limit=100'), refresh()]);
  page.events = history.status === 200 ? history.body.events : [];
  showEvents();
  page.stream = new EventStream(onEvent, onStream);
  page.stream.start(page.events.length > 0 ? page.events[0].seq : 0);
  page.timers.push(setInterval(refresh, 2000));
  // The charts after the first frame: their width is read from the page, which would lay it out before it is shown.
  requestAnimationFrame(() => setTimeout(charts, 0));
  page.timers.push(setInterval(charts, 10000));
  page.timers.push(setInterval(() => {
    if (page.updated && Date.now() - page.updated > 6000) $('stale').hidden = false;
  }, 1000));
}

function signOut() {
  token.clear();
  if (page.stream) page.stream.stop();
  page.timers.forEach(clearInterval);
  page.timers = [];
  window.location.reload();
}

$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  performance.mark('meridian:signin');
  token.set($('token').value.trim());
  $('token').value = '';
  start();
});
$('signout').addEventListener('click', signOut);
$('preview-confirm').addEventListener('click', confirm);
$('preview-cancel').addEventListener('click', () => {
  $('preview').hidden = true;
  page.preview = null;
});
$('event-filter').addEventListener('input', showEvents);
if (token.get()) start();
