#!/usr/bin/env node
// Server load check: 100 jobs in the manager; GET /downloads at 500 req/s for 10 s (open loop,
// latency per request) while 100 SSE clients receive progress (lag = arrival − job.updatedAt).
// Emulator, server and load generator are three processes.
import { spawn } from 'node:child_process';
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
try {
  // Let the 100 jobs get going.
  const first = await (await fetch(`${base}/downloads`)).json();
  const sse = { events: 0, lags: [], bytes: 0 };
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
            }
          }
        } catch {
          // aborted at the end
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
      request(`${base}/downloads`, { dispatcher: agent })
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
  console.log(`\nServer load (Express example app, real manager with ${first.length} jobs downloading)\n`);
  console.log(`| check | result |`);
  console.log(`| --- | --- |`);
  console.log(`| GET /downloads, ${RATE} req/s for ${SECONDS} s | ${latencies.length} ok, ${errors} errors, achieved ${(latencies.length / elapsed).toFixed(0)} req/s, ${(bytes / latencies.length / 1024).toFixed(0)} KiB per response |`);
  console.log(`| latency p50 / p99 / max | ${pct(latencies, 0.5).toFixed(1)} / ${pct(latencies, 0.99).toFixed(1)} / ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms |`);
  console.log(`| ${CLIENTS} SSE clients: progress events received | ${sse.events} (${(sse.events / elapsed / CLIENTS).toFixed(1)} per client per second) |`);
  console.log(`| SSE lag p50 / p99 / max (arrival − updatedAt) | ${pct(sse.lags, 0.5)} / ${pct(sse.lags, 0.99)} / ${sse.lags.reduce((a, b) => Math.max(a, b), 0)} ms; over 1 s: ${lagged} |`);
} finally {
  srv.p.kill('SIGTERM');
  emu.p.kill('SIGTERM');
}
