// The built UI (dist/) as both example hosts serve it: precompressed files (made at build time by
// vite.config.mjs) picked by Accept-Encoding, hashed assets cached for a year, the page itself
// revalidated on every visit. Framework-free: Express and Fastify only copy the answer out.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_DIR = fileURLToPath(new URL('./dist/', import.meta.url));
export const uiBuilt = () => existsSync(new URL('./dist/index.html', import.meta.url));
export const NOT_BUILT_PAGE = `<!doctype html><html lang="fa" dir="rtl"><meta charset="utf-8"><title>Persian Hub</title>
<body style="font-family:sans-serif;padding:2rem"><h1>هاب فارسی</h1>
<p>رابط کاربری هنوز ساخته نشده است: <code dir="ltr">npm run build</code></p>
<p dir="ltr">The UI is not built yet: run <code>npm run build</code>. The REST API is at <a href="/api/sources/models/available">/api/sources</a>.</p></body></html>`;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};
/** Vite puts content-hashed files here: a new build gives them new names, so they never change. */
const HASHED = /^assets\/[^/]+-[\w-]{8}\.\w+$/;

/** The encodings the browser takes, best first among those we have files for. */
function encodingsOf(acceptEncoding) {
  const accepted = new Map();
  for (const part of String(acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return [...(ok('br') ? [['br', '.br']] : []), ...(ok('gzip') ? [['gzip', '.gz']] : [])];
}

async function fileStat(path) {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * What to answer for a request of the UI: `{ status, headers, file }` (file null for 304 and
 * HEAD-less bodies), or null when the path is not a file of the UI (the host's 404).
 * @param {{ method?: string, url?: string, headers: Record<string, string | string[] | undefined> }} request
 * @param {string} [dir] the built UI
 */
export async function resolveUiFile(request, dir = UI_DIR) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://ui.invalid').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = normalize(pathname === '/' ? 'index.html' : pathname.slice(1));
  // No way out of dir, and no dotfiles (.gitignore, .vite).
  if (relative.startsWith('..') || relative.split(sep).some((part) => part.startsWith('.'))) return null;
  const path = join(dir, relative);
  if (!path.startsWith(dir)) return null;
  const original = await fileStat(path);
  if (!original) return null;

  let file = path;
  let size = original.size;
  let encoding = null;
  for (const [name, suffix] of encodingsOf(request.headers['accept-encoding'])) {
    const s = await fileStat(path + suffix);
    if (s) {
      file = path + suffix;
      size = s.size;
      encoding = name;
      break;
    }
  }
  const etag = `"${original.size.toString(36)}-${Math.floor(original.mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
  const headers = {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': HASHED.test(relative.split(sep).join('/')) ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'Accept-Encoding',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (encoding) headers['content-encoding'] = encoding;
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return { status: 304, headers, file: null };
  }
  headers['content-length'] = String(size);
  return { status: 200, headers, file: request.method === 'HEAD' ? null : file };
}

/** Express (or plain Node) middleware for the UI; anything that is not a UI file goes on to `next`. */
export function uiMiddleware(dir = UI_DIR) {
  return (req, res, next) => {
    resolveUiFile(req, dir).then((answer) => {
      if (!answer) return next();
      res.writeHead(answer.status, answer.headers);
      if (answer.file) createReadStream(answer.file).on('error', next).pipe(res);
      else res.end();
    }, next);
  };
}
