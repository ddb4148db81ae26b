#!/usr/bin/env node
// The timing goals of issue 13, measured in Debian's Chromium against the built example page
// (examples/ui/dist, served by the hosts' own staticFiles.mjs: precompressed, cached):
//
//   1. On an emulated 1 Mbps down / 300 ms round trip link (CDP Network.emulateNetworkConditions,
//      cache disabled): first contentful paint and the first card on screen. Goal ≤ 3 s / ≤ 4 s.
//   2. 100 catalog entries with 10 downloads sending progress 4 times a second each: total
//      blocking time (the Long Tasks API: the part of each task over 50 ms) per second. Goal ≤ 50 ms/s.
//
// The API is a small fake served here (catalog, capabilities, an SSE stream of progress), so the
// numbers are the page's own, not the Hub emulator's. Prints the numbers; asserts nothing.
//
//   npm run build && node bench/uiBench.mjs            (BENCH_UI_RUNS=5 for more runs of 1.)
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const { resolveUiFile, UI_DIR } = await import(pathToFileURL(join(root, 'examples/ui/staticFiles.mjs')).href);
const { persianCatalog } = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('Build the UI first: npm run build');

const RUNS = Number(process.env.BENCH_UI_RUNS ?? 3);
const ENTRIES = 100;
const DOWNLOADS = 10;
const TICK_MS = 250;
const MEASURE_S = 8;

const now = () => new Date().toISOString();
function catalogOf(size) {
  return Array.from({ length: size }, (_, i) => {
    const base = persianCatalog[i % persianCatalog.length];
    const n = Math.floor(i / persianCatalog.length);
    return n === 0 ? { ...base, installed: null, job: null } : { ...base, id: `${base.id}-${n}`, repoId: `${base.repoId}-${n}`, name: { fa: `${base.name.fa} ${n}`, en: `${base.name.en} ${n}` }, installed: null, job: null };
  });
}
function jobFor(entry, i) {
  return {
    id: `job-${i}`,
    catalogId: entry.id,
    repoId: entry.repoId,
    repoType: entry.repoType,
    revision: 'main',
    commit: 'a'.repeat(40),
    include: entry.include,
    exclude: entry.exclude,
    localDir: null,
    status: 'downloading',
    progress: 0,
    bytesDownloaded: 0,
    bytesTotal: entry.sizeBytes,
    speed: 1_000_000,
    eta: 100,
    currentFile: 'model.safetensors',
    waitingFor: null,
    retry: null,
    fileCount: 3,
    filesCompleted: 1,
    files: [],
    fileDetail: 'none',
    path: null,
    endpoint: 'https://huggingface.co',
    backend: 'native',
    error: null,
    createdAt: now(),
    updatedAt: now(),
    completedAt: null,
  };
}

/** A page server with a fake Persian Hub API. `live`: ten jobs sending progress at 4 Hz each. */
async function startServer({ entries, live }) {
  const catalog = catalogOf(entries);
  const jobs = live ? catalog.slice(0, DOWNLOADS).map(jobFor) : [];
  const streams = new Set();
  let seq = 0;
  const timer = live
    ? setInterval(() => {
        for (const job of jobs) {
          job.bytesDownloaded = Math.min(job.bytesTotal, job.bytesDownloaded + Math.round(job.bytesTotal / 2000));
          job.progress = Math.round((job.bytesDownloaded / job.bytesTotal) * 1000) / 10;
          job.updatedAt = new Date(Date.now() + seq).toISOString();
          const frame = `id: ${++seq}\nevent: progress\ndata: ${JSON.stringify({ job: { ...job, fileDetail: 'changed', files: [] } })}\n\n`;
          for (const res of streams) res.write(frame);
        }
      }, TICK_MS)
    : null;
  const json = (res, body) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/api/sources/models/available') return json(res, catalog);
    if (path === '/api/sources/capabilities') return json(res, { hubToken: true, bundleUpload: true });
    if (path === '/api/sources/downloads') return json(res, jobs);
    if (path === '/api/sources/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`retry: 1000\n\nevent: snapshot\ndata: ${JSON.stringify({ jobs })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const answer = await resolveUiFile(req);
    if (!answer) return res.writeHead(404).end();
    res.writeHead(answer.status, answer.headers);
    if (answer.file) createReadStream(answer.file).pipe(res);
    else res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: async () => {
      clearInterval(timer);
      for (const res of streams) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// 1. Slow link: first contentful paint and first card.
{
  const server = await startServer({ entries: 18, live: false });
  const fcp = [];
  const card = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 1_000_000 / 8, uploadThroughput: 500_000 / 8 });
    // The moment the first card is in the DOM, on the page's own clock.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('article[data-model-id]')) {
          window.__firstCard = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForSelector('article[data-model-id]', { timeout: 120_000 });
    const [paint, first] = await page.evaluate(() => [performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, window.__firstCard]);
    fcp.push(paint);
    card.push(first);
    await context.close();
  }
  await server.close();
  console.log(`1 Mbps / 300 ms RTT, no cache (${RUNS} runs): first contentful paint ${(median(fcp) / 1000).toFixed(2)} s (goal ≤ 3 s), first card ${(median(card) / 1000).toFixed(2)} s (goal ≤ 4 s)  [runs: ${fcp.map((x) => (x / 1000).toFixed(2)).join(', ')} / ${card.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
}

// 2. 10 live downloads over 100 cards: total blocking time.
{
  const server = await startServer({ entries: ENTRIES, live: true });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(server.url);
  await page.waitForFunction((n) => document.querySelectorAll('article[data-model-id]').length === n, ENTRIES, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[role="progressbar"][aria-valuenow]').length >= 10, undefined, { timeout: 60_000 });
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(MEASURE_S * 1000); // the measurement window itself, not a synchronisation
  const { tasks, to, renders } = await page.evaluate((start) => ({
    tasks: window.__longTasks.filter((t) => t.start >= start),
    to: performance.now(),
    renders: document.querySelectorAll('[role="progressbar"][aria-valuenow]').length,
  }), from);
  const seconds = (to - from) / 1000;
  const blocking = tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);
  if (process.env.BENCH_UI_DEBUG) console.log(tasks.map((t) => `${((t.start - from) / 1000).toFixed(2)}s:${t.duration.toFixed(0)}ms`).join(" "));
  console.log(`${ENTRIES} cards, ${DOWNLOADS} downloads at 4 Hz, ${seconds.toFixed(1)} s: total blocking time ${(blocking / seconds).toFixed(1)} ms per second (goal ≤ 50), ${tasks.length} long tasks, longest ${Math.max(0, ...tasks.map((t) => t.duration)).toFixed(0)} ms; ${renders} bars live`);
  await context.close();
  await server.close();
}

await browser.close();
