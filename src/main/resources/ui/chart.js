// Latency over the last hour per region (uPlot, from the jar): p50 and p95 per vantage, the check's
// latency threshold, and a mark where failovers, drains and operator changes happened.

import uPlot from './vendor/uplot/uPlot.esm.js';
import { call } from './api.js';
import { el, clear, $ } from './dom.js';

const COLORS = ['#2456c7', '#137c3a', '#9a6200', '#7b3fb8', '#00838f'];
const MARKED = new Set(['FAILOVER', 'FAILBACK', 'DRAIN', 'MANUAL', 'OPERATOR', 'FAIL_OPEN']);

function marks(events, from) {
  return events.filter((e) => MARKED.has(e.kind) && e.time && Date.parse(e.time) / 1000 >= from)
    .map((e) => ({ t: Date.parse(e.time) / 1000, label: e.kind }));
}

function drawMarks(list) {
  return (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#7b3fb8';
    ctx.fillStyle = '#7b3fb8';
    ctx.lineWidth = 1;
    for (const m of list) {
      const x = u.valToPos(m.t, 'x', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillText(m.label, x + 3, u.bbox.top + 12);
    }
    ctx.restore();
  };
}

/** One chart: p50 (solid) and p95 (dashed) per vantage from {@code list} ({vantage, p50, p95}), the threshold, the marks. */
function draw(box, h, list, events, width) {
  const from = Date.parse(h.from) / 1000;
  const n = list.length ? list[0].p50.length : 0;
  let start = n;
  for (const s of list) {
    const i = s.p50.findIndex((v) => v !== null);
    if (i >= 0) start = Math.min(start, i);
  }
  if (start >= n) {
    box.append(el('p', { class: 'muted', text: 'No successful probe measured yet.' }));
    return;
  }
  const xs = Array.from({ length: n - start }, (_, i) => from + (start + i) * h.bucket_seconds);
  const data = [xs];
  const series = [{}];
  list.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    data.push(s.p50.slice(start));
    series.push({ label: `p50 from ${s.vantage}`, stroke: color, width: 2, spanGaps: true });
    data.push(s.p95.slice(start));
    series.push({ label: `p95 from ${s.vantage}`, stroke: color, width: 1, dash: [4, 4], spanGaps: true });
  });
  if (h.threshold_ms !== null) {
    data.push(xs.map(() => h.threshold_ms));
    series.push({ label: 'latency threshold', stroke: '#b3261e', width: 1, dash: [2, 6] });
  }
  // At least the last 5 minutes across, however few buckets there are yet.
  const last = xs[xs.length - 1];
  const range = [Math.min(xs[0], last - 300), last + h.bucket_seconds];
  const opts = { width, height: 170, series, scales: { x: { time: true, auto: false, range } }, axes: [{}, { label: 'ms' }],
    hooks: { draw: [drawMarks(marks(events, xs[0]))] } };
  // eslint-disable-next-line no-new
  new uPlot(opts, data, box);
}

/**
 * Draws every region's chart again from /v1/history (without the endpoints' own series), then one chart
 * per endpoint asked for ([region, id] pairs); {@code remove} is called with the pair a chart's close button names.
 */
export async function latency(status, events, endpoints = [], remove = () => {}) {
  const root = $('charts');
  const width = Math.max(320, root.clientWidth - 8);
  const drawn = [];
  for (const name of Object.keys(status.regions)) {
    const r = await call('GET', `/v1/history?region=${encodeURIComponent(name)}&endpoints=none`);
    if (r.status !== 200) continue;
    const box = el('figure', { class: 'chart', 'data-chart': name }, el('figcaption', { text: `${name}: latency, last hour (ms)` }));
    drawn.push(box);
    draw(box, r.body, r.body.region_series, events, width);
  }
  for (const [region, id] of endpoints) {
    const r = await call('GET', `/v1/history?region=${encodeURIComponent(region)}&endpoints=${encodeURIComponent(id)}`);
    if (r.status !== 200) continue; // gone with a reload
    const box = el('figure', { class: 'chart endpoint', 'data-chart-endpoint': id },
      el('figcaption', {}, `${id}: latency per vantage, last hour (ms) `,
        el('button', { type: 'button', class: 'link', title: 'close this chart', onclick: () => remove([region, id]) }, 'close')));
    drawn.push(box);
    draw(box, r.body, r.body.endpoints, events, width);
  }
  clear(root).append(...drawn);
}
