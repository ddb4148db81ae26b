// Screenshots of built stories in Debian's Chromium, for a human (or later a test) to look at.
// Usage: npm run build-storybook && node stories/scripts/screenshots.mjs [story-id[@width] ...]
// Writes stories/screenshots/<story-id>[@width].png and prints page errors and horizontal overflow.
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', 'storybook-static');
const out = join(here, '..', 'screenshots');

const DEFAULT_STORIES = [
  ['components-modelhubview--loaded-fa-light', 1280],
  ['components-modelhubview--loaded-en-dark', 1280],
  ['components-modelcard--gallery-fa-dark', 1000],
  ['components-progressbar--all-states-fa-light', 700],
  ['components-modelhubview--loaded-fa-light', 390],
];

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

if (!existsSync(join(root, 'iframe.html'))) {
  console.error('No storybook-static build; run `npm run build-storybook` first.');
  process.exit(1);
}
mkdirSync(out, { recursive: true });

const server = await serve();
const { port } = server.address();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// Arguments: story ids, each optionally with a viewport width: `components-modelcard--idle@390`.
const wanted = process.argv.slice(2).map((arg) => {
  const [id, width] = arg.split('@');
  return [id, Number(width) || 1280];
});
let problems = 0;
try {
  for (const [id, width] of wanted.length > 0 ? wanted : DEFAULT_STORIES) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, reducedMotion: 'reduce' });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
    await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${id}&viewMode=story`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#storybook-root > *', { timeout: 15_000 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const file = join(out, `${id}@${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const note = [overflow > 1 ? `horizontal overflow ${overflow}px` : '', ...errors].filter(Boolean);
    problems += note.length;
    console.log(`${note.length ? '✗' : '✓'} ${id} @${width} → ${file}${note.length ? `\n    ${note.join('\n    ')}` : ''}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.exitCode = problems > 0 ? 1 : 0;
