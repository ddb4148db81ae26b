#!/usr/bin/env node
// Server load check: 100 jobs in the manager, 10 of them datasets of 6,000 files
// (LOAD_BIG_JOBS, LOAD_BIG_FILES); the first SSE frame of fresh clients (time and size);
// GET /downloads at 500 req/s for 10 s (open loop, latency per request) while 100 SSE clients
// receive progress (lag = arrival − job.updatedAt, event sizes); the server's memory.
// Emulator, server and load generator are three processes.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

const here = fileURLToPath(new URL('.', import.meta.url));
const RATE = Number(process.env.LOAD_RATE ?? 500);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CLIENTS = Number(process.env.LOAD_SSE_CLIENTS ?? 100);

function child(script, args = []) {
  const p = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => createInterface({ input: p.stdout }).once('line', (l) => resolve({ p, info: JSON.parse(l) })));
}
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const emu = await child('loadEmulator.mjs');
const srv = await child('loadServer.mjs', [emu.info.url]);
const base = `${srv.info.url}api/sources`;
const { bigJobs, bigFiles } = emu.info;
const memory = async () => {
  const status = await readFile(`/proc/${srv.info.pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
};
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), 0);
const kb = (n) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;

/** A fresh SSE client: time until its first event (the snapshot) has arrived whole, and its size. */
async function firstFrame() {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/events`, { signal: AbortSignal.timeout(15_000) });
    let buf = '';
    for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      const start = buf.indexOf('event: snapshot');
      const end = start === -1 ? -1 : buf.indexOf('\n\n', start);
      if (end !== -1) {
        const ms = performance.now() - t0;
        await res.body.cancel().catch(() => undefined);
        return { ms, bytes: end - start };
      }
    }
    return { ms: NaN, bytes: NaN, error: 'stream ended before the snapshot' };
  } catch (error) {
    return { ms: NaN, bytes: NaN, error: error.name === 'TimeoutError' ? 'no snapshot within 15 s' : String(error.cause?.code ?? error.message) };
  }
}

try {
  // Let the 100 jobs get going, and the big ones list their files.
  const setupStart = performance.now();
  let first = [];
  for (;;) {
    first = await (await fetch(`${base}/downloads`)).json();
    const big = first.filter((j) => Number(j.repoId.split('-').pop()) < bigJobs);
    const listed = await Promise.all(big.map(async (j) => (await (await fetch(`${base}/download/${j.id}/status`)).json()).files.length));
    if (listed.every((n) => n === bigFiles) || performance.now() - setupStart > 120_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const frames = [];
  for (let i = 0; i < 5; i++) frames.push(await firstFrame());
  const memBefore = await memory();
  const sse = { events: 0, lags: [], bytes: 0, sizes: { big: [], small: [] }, dropped: 0 };
  const controllers = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const ac = new AbortController();
      controllers.push(ac);
      const res = await fetch(`${base}/events`, { signal: ac.signal });
      void (async () => {
        let buf = '';
        try {
          for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
            sse.bytes += chunk.length;
            buf += chunk;
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const frame = buf.slice(0, i);
              buf = buf.slice(i + 2);
              if (!frame.includes('event: progress')) continue;
              const data = frame.split('\n').find((l) => l.startsWith('data: '));
              const job = JSON.parse(data.slice(6)).job;
              sse.events++;
              sse.lags.push(Date.now() - Date.parse(job.updatedAt));
              sse.sizes[Number(job.repoId.split('-').pop()) < bigJobs ? 'big' : 'small'].push(data.length - 6);
            }
          }
          if (!ac.signal.aborted) sse.dropped++;
        } catch {
          if (!ac.signal.aborted) sse.dropped++;
        }
      })();
    }),
  );

  const agent = new Agent({ connections: 64, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  let bytes = 0;
  const total = RATE * SECONDS;
  const t0 = performance.now();
  const inflight = [];
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    inflight.push(
      // A request not answered within a minute counts as an error, so an overloaded server still gets a report.
      request(`${base}/downloads`, { dispatcher: agent, headersTimeout: 60_000, bodyTimeout: 60_000 })
        .then(async (res) => {
          const body = await res.body.arrayBuffer();
          bytes += body.byteLength;
          if (res.statusCode !== 200) errors++;
          // Open loop: latency from when the request was due, so server backlog counts.
          latencies.push(performance.now() - Math.min(sent, due));
        })
        .catch(() => errors++),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  controllers.forEach((c) => c.abort());
  await agent.close();
  const lagged = sse.lags.filter((l) => l > 1000).length;
  const memAfter = await memory();
  const got = frames.filter((f) => Number.isFinite(f.ms));
  console.log(`\nServer load (Express example app, real manager with ${first.length} jobs downloading, ${bigJobs} of them of ${bigFiles} files)\n`);
  console.log(`| check | result |`);
  console.log(`| --- | --- |`);
  console.log(`| first SSE frame (snapshot), 5 fresh clients | ${got.length}/5 received; ${got.length ? `${got.map((f) => f.ms.toFixed(0)).join(', ')} ms; ${kb(got[0].bytes)}` : frames[0].error} |`);
  console.log(`| progress event size, ${bigFiles}-file job / 1-file job (mean, max) | ${kb(mean(sse.sizes.big))}, ${kb(max(sse.sizes.big))} / ${kb(mean(sse.sizes.small))}, ${kb(max(sse.sizes.small))} |`);
  console.log(`| SSE clients dropped by the server during the run | ${sse.dropped} of ${CLIENTS} |`);
  console.log(`| server memory: RSS before / after the run, peak | ${memBefore.rss.toFixed(0)} / ${memAfter.rss.toFixed(0)} MiB, peak ${memAfter.peak.toFixed(0)} MiB |`);
  console.log(`| GET /downloads, ${RATE} req/s for ${SECONDS} s | ${latencies.length} ok, ${errors} errors, achieved ${(latencies.length / elapsed).toFixed(0)} req/s, ${(bytes / latencies.length / 1024).toFixed(0)} KiB per response |`);
  console.log(`| latency p50 / p99 / max | ${pct(latencies, 0.5).toFixed(1)} / ${pct(latencies, 0.99).toFixed(1)} / ${max(latencies).toFixed(1)} ms |`);
  console.log(`| ${CLIENTS} SSE clients: progress events received | ${sse.events} (${(sse.events / elapsed / CLIENTS).toFixed(1)} per client per second) |`);
  console.log(`| SSE lag p50 / p99 / max (arrival − updatedAt) | ${pct(sse.lags, 0.5)} / ${pct(sse.lags, 0.99)} / ${max(sse.lags)} ms; over 1 s: ${lagged} |`);
} finally {
  srv.p.kill('SIGTERM');
  emu.p.kill('SIGTERM');
}
