import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'e2e-admin-token-0123456789abcdef';
const APPS = [
  ['express', 'examples/express-app/server.mjs'],
  ['fastify', 'examples/fastify-app/server.mjs'],
] as const;

let cache: string;
const children = new Set<ChildProcess>();
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'ph-example-apps-'));
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(cache, { recursive: true, force: true });
});

/** Starts an example app as `npm run example:*` would (minus the build) and resolves with its URL, or its exit. */
function launch(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, script)], {
    // The Hub is never asked: a job only needs to be created, not to run.
    env: { ...process.env, PORT: '0', HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_CACHE: join(cache, 'hub'), HF_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ url?: string; code?: number | null; stderr: string; child: ChildProcess }>((resolve) => {
    child.once('exit', (code) => resolve({ code, stderr, child }));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Persian Hub \(\w+\) on (\S+)/.exec(line);
      if (m) resolve({ url: m[1]!, stderr, child });
    });
  });
}

function call(url: string, method: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(APPS)('the %s example app', (_name, script) => {
  it('listens on 127.0.0.1 unless HOST is set', async () => {
    const { url, child } = await launch(script, { HOST: '' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    child.kill('SIGTERM');
  });

  it('refuses to start on 0.0.0.0 without PERSIAN_HUB_ADMIN_TOKEN, saying what to do', async () => {
    const { url, code, stderr } = await launch(script, { HOST: '0.0.0.0', PERSIAN_HUB_ADMIN_TOKEN: '' });
    expect(url).toBeUndefined();
    expect(code).toBe(1);
    expect(stderr).toContain('PERSIAN_HUB_ADMIN_TOKEN');
    expect(stderr).toContain('HOST');
  });

  it('on 0.0.0.0 with a token: reads are open, changes need the token, unknown host names are refused', async () => {
    const { url, child } = await launch(script, { HOST: '0.0.0.0', PERSIAN_HUB_ADMIN_TOKEN: TOKEN });
    const port = new URL(url!).port;
    const api = `http://127.0.0.1:${port}/api/sources`;
    const json = { 'content-type': 'application/json' };
    expect(await call(`${api}/downloads`, 'GET')).toBe(200);
    expect(await call(`${api}/download`, 'POST', json, '{"id":"piper-fa-amir-medium"}')).toBe(403);
    expect(await call(`${api}/download`, 'POST', { ...json, authorization: `Bearer ${TOKEN.slice(1)}` }, '{"id":"piper-fa-amir-medium"}')).toBe(403);
    expect(await call(`${api}/download`, 'POST', { ...json, authorization: `Bearer ${TOKEN}` }, '{"id":"piper-fa-amir-medium"}')).toBe(202);
    expect(await call(`${api}/downloads`, 'GET', { host: `rebound.attacker.example:${port}` })).toBe(403);
    child.kill('SIGTERM');
  });

  it('serves the cache as a Hub mirror at /hub (installed mode), which /capabilities tells the page; PERSIAN_HUB_MIRROR=off turns it off', async () => {
    const { url, child } = await launch(script, { HOST: '' });
    const info = await fetch(`${url}api/sources/capabilities`);
    expect((await info.json()).hubMirror).toEqual({ path: '/hub', tokenRequired: false });
    // An empty cache: the Hub's own answer for a repo it does not have, and never a request upstream.
    const repo = await fetch(`${url}hub/api/models/HooshvareLab/bert-fa-base-uncased/revision/main`);
    expect([repo.status, repo.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
    child.kill('SIGTERM');
    const off = await launch(script, { HOST: '', PERSIAN_HUB_MIRROR: 'off' });
    expect((await (await fetch(`${off.url}api/sources/capabilities`)).json()).hubMirror).toBeUndefined();
    expect((await fetch(`${off.url}hub/api/models/HooshvareLab/bert-fa-base-uncased`)).headers.get('x-error-code')).toBeNull();
    off.child.kill('SIGTERM');
  });
});
