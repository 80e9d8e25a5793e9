// The event stream, read with fetch (EventSource cannot send an Authorization header): reconnects
// after a loss and resumes with Last-Event-ID, so no event is missed or shown twice.

import { token } from './api.js';

export class EventStream {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.stopped = false;
    this.controller = null;
  }

  start(lastId) {
    if (lastId !== undefined && lastId !== null) this.lastId = lastId;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async connect() {
    if (this.stopped) return;
    this.controller = new AbortController();
    const headers = { Authorization: `Bearer ${token.get()}` };
    if (this.lastId !== null) headers['Last-Event-ID'] = String(this.lastId);
    try {
      const r = await fetch('/v1/events/stream', { headers, signal: this.controller.signal, cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      this.onState(true);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
      throw new Error('the daemon closed the stream');
    } catch (e) {
      if (this.stopped) return;
      this.onState(false, e.message);
      setTimeout(() => this.connect(), 2000);
    }
  }

  dispatch(block) {
    let id = null;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!data) return;
    if (id !== null) {
      if (this.lastId !== null && id <= this.lastId) return;
      this.lastId = id;
    }
    try {
      this.onEvent(JSON.parse(data));
    } catch (e) {
      // a block that is not an event (a comment): nothing to show
    }
  }
}
