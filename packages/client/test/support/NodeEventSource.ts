// Test-only: Node 20 has no EventSource. A small one that follows the WHATWG parsing and
// reconnection rules (id / event / data / retry fields, Last-Event-ID on reconnect, CLOSED on a
// non-200 or non-event-stream answer). Never imported by the library.
import http from 'node:http';

type Listener = (event: NodeMessageEvent) => unknown;

export interface NodeMessageEvent {
  readonly type: string;
  readonly data: string;
  readonly lastEventId: string;
}

export class NodeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  readonly url: string;
  readyState = NodeEventSource.CONNECTING;
  lastEventId = '';
  /** Milliseconds before a reconnect; the server's `retry:` field changes it. */
  reconnectionTime = 3000;
  onopen: ((event: NodeMessageEvent) => unknown) | null = null;
  onerror: ((event: NodeMessageEvent) => unknown) | null = null;
  onmessage: ((event: NodeMessageEvent) => unknown) | null = null;

  #listeners = new Map<string, Set<Listener>>();
  #request: http.ClientRequest | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string) {
    this.url = url;
    this.#connect();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = NodeEventSource.CLOSED;
    clearTimeout(this.#timer);
    this.#request?.destroy();
    this.#request = undefined;
  }

  #dispatch(type: string, data = '', lastEventId = this.lastEventId) {
    const event: NodeMessageEvent = { type, data, lastEventId };
    const handler = type === 'open' ? this.onopen : type === 'error' ? this.onerror : type === 'message' ? this.onmessage : null;
    handler?.call(this, event);
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener.call(this, event);
  }

  #connect() {
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    const request = http.get(this.url, { headers, agent: false });
    this.#request = request;
    let settled = false;
    const networkError = () => {
      if (settled || this.#request !== request) return;
      settled = true;
      this.#reestablish();
    };
    request.on('error', networkError);
    request.on('response', (response) => {
      if (this.#request !== request) {
        response.destroy();
        return;
      }
      const type = String(response.headers['content-type'] ?? '');
      if (response.statusCode !== 200 || !/^text\/event-stream\b/i.test(type)) {
        settled = true;
        response.resume();
        request.destroy();
        this.#fail();
        return;
      }
      this.readyState = NodeEventSource.OPEN;
      this.#dispatch('open');
      response.setEncoding('utf8');
      let buffer = '';
      let data = '';
      let eventType = '';
      let idBuffer = this.lastEventId;
      const line = (text: string) => {
        if (text === '') {
          this.lastEventId = idBuffer;
          if (data !== '') {
            this.#dispatch(eventType || 'message', data.endsWith('\n') ? data.slice(0, -1) : data);
          }
          data = '';
          eventType = '';
          return;
        }
        if (text.startsWith(':')) return;
        const colon = text.indexOf(':');
        const field = colon === -1 ? text : text.slice(0, colon);
        let value = colon === -1 ? '' : text.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') eventType = value;
        else if (field === 'data') data += `${value}\n`;
        else if (field === 'id') {
          if (!value.includes('\0')) idBuffer = value;
        } else if (field === 'retry') {
          if (/^\d+$/.test(value)) this.reconnectionTime = Number(value);
        }
      };
      response.on('data', (chunk: string) => {
        if (this.readyState === NodeEventSource.CLOSED) return;
        buffer += chunk;
        // A lone \r at the end may be the first half of \r\n: keep it for the next chunk.
        const re = /\r\n|\r(?!$)|\n/g;
        let start = 0;
        for (let m = re.exec(buffer); m; m = re.exec(buffer)) {
          line(buffer.slice(start, m.index));
          start = m.index + m[0].length;
          if (this.readyState === NodeEventSource.CLOSED) return;
        }
        buffer = buffer.slice(start);
      });
      response.on('end', networkError);
      response.on('error', networkError);
      response.on('close', networkError);
    });
  }

  #fail() {
    if (this.readyState === NodeEventSource.CLOSED) return;
    this.readyState = NodeEventSource.CLOSED;
    this.#request = undefined;
    this.#dispatch('error');
  }

  #reestablish() {
    if (this.readyState === NodeEventSource.CLOSED) return;
    this.#request = undefined;
    this.readyState = NodeEventSource.CONNECTING;
    this.#dispatch('error');
    if (this.readyState === NodeEventSource.CLOSED) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.readyState === NodeEventSource.CONNECTING) this.#connect();
    }, this.reconnectionTime);
  }
}
