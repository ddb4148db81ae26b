import type { HandlerRequest } from './PersianHubHandlerOptions.js';
import { HttpError, tooLarge } from './HttpError.js';

/** One request's body, read chunk by chunk; never more than the caller asks for. */
export interface BodyReader {
  /** The next chunk, or null at the end. REQUEST_TIMEOUT when nothing arrives for `idleTimeoutMs`. */
  next(): Promise<Buffer | null>;
  /** Part of a streamed body is still unread on the socket: the connection must close after the answer. */
  readonly leftUnread: boolean;
  /** What the host's own body parser made of the body (`{ parsed }`), if it ran. */
  readonly parsed: { readonly value: unknown } | undefined;
}

export function headerValue(headers: HandlerRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** The client announced a body (a length above 0, or chunked). */
export function hasBody(request: HandlerRequest): boolean {
  if (headerValue(request.headers, 'transfer-encoding') !== undefined) return true;
  const length = headerValue(request.headers, 'content-length');
  return length !== undefined && length.trim() !== '0';
}

/** A streamed body the headers announce, none of it read: refused before reading, for example. */
export function bodyLeftUnread(request: HandlerRequest): boolean {
  const body = request.body;
  return isStream(body) && hasBody(request);
}

function isStream(body: HandlerRequest['body']): body is AsyncIterable<Uint8Array | string> {
  return body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array) && !('parsed' in body);
}

/** The Content-Length, or null when absent or not a number. */
export function declaredLength(request: HandlerRequest): number | null {
  const raw = headerValue(request.headers, 'content-length');
  if (raw === undefined || !/^\s*\d{1,16}\s*$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Reads with `iterator.next()` rather than `for await`: leaving a `for await` early destroys the
 * stream, and with it the socket, before an error answer could be written. A reader that stops
 * early leaves the rest unread and the handler closes the connection after answering.
 */
export function createBodyReader(request: HandlerRequest, idleTimeoutMs: number, mediaType: string): BodyReader {
  let done = false;
  // Checked up front when the headers announce a body; otherwise (HTTP/2 without a length, a
  // host calling the handler directly) on the first byte that arrives.
  let typeChecked = false;
  if (hasBody(request)) {
    checkMediaType(request, mediaType);
    typeChecked = true;
  }
  const body = request.body;
  if (body !== null && typeof body === 'object' && 'parsed' in body) {
    return { next: async () => null, leftUnread: false, parsed: { value: body.parsed } };
  }
  const source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> =
    body === undefined ? [] : typeof body === 'string' || body instanceof Uint8Array ? [body] : body;
  let iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> | undefined;
  const streamed = isStream(body);
  const reader: BodyReader = {
    get leftUnread() {
      return streamed && !done && hasBody(request);
    },
    parsed: undefined,
    async next() {
      if (done) return null;
      iterator ??= Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
      const result = await nextWithin(iterator, idleTimeoutMs);
      if (result.done) {
        done = true;
        return null;
      }
      const chunk = result.value;
      if (!typeChecked && chunk.length > 0) {
        typeChecked = true;
        checkMediaType(request, mediaType);
      }
      return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    },
  };
  return reader;
}

async function nextWithin<T>(iterator: AsyncIterator<T> | Iterator<T>, idleTimeoutMs: number): Promise<IteratorResult<T>> {
  const pending = Promise.resolve(iterator.next());
  if (!(idleTimeoutMs > 0 && Number.isFinite(idleTimeoutMs))) return pending;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError('REQUEST_TIMEOUT', `No byte of the request body arrived for ${Math.round(idleTimeoutMs / 1000)} s`)),
      idleTimeoutMs,
    );
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
    // The losing read settles when the connection closes; nobody waits for it any more.
    pending.catch(() => undefined);
  }
}

/**
 * A body must be of the route's media type (JSON, or a tar for the upload): an HTML form
 * (urlencoded, multipart, text/plain) is never taken as a command, whatever the origin checks
 * said. No body at all needs no Content-Type (`curl -X POST …/pause`).
 */
function checkMediaType(request: HandlerRequest, expected: string): void {
  const essence = headerValue(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (essence !== expected) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Expected Content-Type: ${expected}`);
  }
}

/** Reads, size-checks and parses a JSON body (undefined when there is none). */
export async function readJsonBody(request: HandlerRequest, reader: BodyReader, limit: number): Promise<unknown> {
  if (reader.parsed) return reader.parsed.value;
  const declared = declaredLength(request);
  if (declared !== null && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError('INVALID_INPUT', 'The body is not valid JSON', []);
  }
}
