// The packed packages installed offline into fresh host apps, as a user's app would get them from
// npm: ESM and CommonJS hosts that really download from the Hub emulator and serve the result over
// Express and Fastify, TypeScript hosts (moduleResolution bundler and node16), and a browser host
// that installs only the React kit and must not get Node's downloader with it.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startHubEmulator, type HubEmulator } from '@persian-hub/hub-emulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createScratchHost, type ScratchHost } from './createScratchHost.js';
import { REPO } from './packages.js';

const { tarballs } = inject('packed');
const tsc = createRequire(join(REPO, 'package.json')).resolve('typescript/bin/tsc');

const REPO_ID = 'test/packed-host';
const FILES = [
  { path: 'config.json', content: '{"model_type":"bert","hidden_size":8}' },
  { path: 'model.bin', size: 300_000 },
];

let hub: HubEmulator;
const expected = new Map<string, string>(); // path -> sha256 of the bytes the emulator serves

beforeAll(async () => {
  hub = await startHubEmulator({ port: 0, repos: [{ id: REPO_ID, files: FILES }] });
  for (const f of FILES) {
    const response = await fetch(`${hub.url}/${REPO_ID}/resolve/main/${f.path}`);
    expect(response.status).toBe(200);
    expected.set(f.path, createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex'));
  }
});

afterAll(async () => {
  await hub?.close();
});

/** Parses the one JSON line a host script prints last; fails with everything it printed otherwise. */
function resultOf(run: { code: number; stdout: string; stderr: string }): Record<string, any> {
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || !last.startsWith('{')) throw new Error(`host script failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(last) as Record<string, any>;
}

// The download a host runs, the same in ESM and CommonJS: a real job against the emulator, its
// events, the bytes on disk, then the same manager behind the adapter, read back by the client.
const hostScript = (format: 'esm' | 'cjs') => {
  const imports =
    format === 'esm'
      ? `import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import { createDownloadManager, isPersianHubError, PersianHubError } from '@persian-hub/core';
import { isPersianHubError as isErrorFromDeprecatedEntry } from '@persian-hub/core/client';
import { createPersianHubClient, isPersianHubError as isErrorFromClient, normalizePersian } from '@persian-hub/client';
import { createPersianHubHandler } from '@persian-hub/server-adapter';
import { createExpressRouter } from '@persian-hub/server-adapter/express';
import { persianHub } from '@persian-hub/server-adapter/fastify';`
      : `const { createHash } = require('node:crypto');
const { readFile } = require('node:fs/promises');
const { join } = require('node:path');
const express = require('express');
const Fastify = require('fastify');
const { createDownloadManager, isPersianHubError, PersianHubError } = require('@persian-hub/core');
const { isPersianHubError: isErrorFromDeprecatedEntry } = require('@persian-hub/core/client');
const { createPersianHubClient, isPersianHubError: isErrorFromClient, normalizePersian } = require('@persian-hub/client');
const { createPersianHubHandler } = require('@persian-hub/server-adapter');
const { createExpressRouter } = require('@persian-hub/server-adapter/express');
const { persianHub } = require('@persian-hub/server-adapter/fastify');`;
  return `${imports}

async function main() {
  const manager = createDownloadManager({ endpoint: process.env.HF_ENDPOINT, token: false, cacheDir: process.env.CACHE_DIR, stateDir: join(process.env.CACHE_DIR, 'state') });
  const events = [];
  for (const name of ['started', 'progress', 'file-completed', 'completed', 'failed']) manager.on(name, (job) => events.push({ name, progress: job.progress }));
  const job = await manager.start({ repoId: ${JSON.stringify(REPO_ID)} });
  const done = await manager.waitFor(job.id);
  const sha256 = {};
  for (const file of ${JSON.stringify(FILES.map((f) => f.path))}) {
    sha256[file] = createHash('sha256').update(await readFile(join(done.path, file))).digest('hex');
  }
  const error = new PersianHubError('NOT_FOUND', 'x');

  const app = express();
  app.use('/api/sources', createExpressRouter(manager));
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const client = createPersianHubClient({ baseUrl: 'http://127.0.0.1:' + server.address().port + '/api/sources', EventSource: null });
  const installed = await client.installed();
  server.close();

  const fastify = Fastify();
  await fastify.register(persianHub, { manager, prefix: '/api/sources' });
  const jobsOverFastify = (await fastify.inject({ method: 'GET', url: '/api/sources/downloads' })).json();
  await fastify.close();
  await manager.close();

  console.log(JSON.stringify({
    status: done.status,
    bytes: [done.bytesDownloaded, done.bytesTotal],
    sha256,
    events,
    sameErrorClass: isPersianHubError(error) && isErrorFromClient(error) && isErrorFromDeprecatedEntry(error),
    normalized: normalizePersian('كتاب‌ها'),
    handler: typeof createPersianHubHandler,
    installed: installed.map((i) => i.repoId),
    jobsOverFastify: jobsOverFastify.jobs ? jobsOverFastify.jobs.length : jobsOverFastify.length,
  }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;
};

function expectRealDownload(result: Record<string, any>) {
  expect(result.status).toBe('completed');
  expect(result.bytes[0]).toBe(result.bytes[1]);
  expect(result.sha256).toEqual(Object.fromEntries(expected));
  const names = result.events.map((e: { name: string }) => e.name);
  expect(names[0]).toBe('started');
  expect(names.filter((n: string) => n === 'file-completed')).toHaveLength(FILES.length);
  expect(result.events.slice(-2)).toEqual([
    { name: 'progress', progress: 100 },
    { name: 'completed', progress: 100 },
  ]);
  expect(result.sameErrorClass).toBe(true);
  expect(result.normalized).toBe('کتابها');
  expect(result.handler).toBe('function');
  expect(result.installed).toEqual([REPO_ID]);
  expect(result.jobsOverFastify).toBe(1);
}

describe('a Node host app: client, core and the server adapter from their tarballs', () => {
  let host: ScratchHost;

  beforeAll(async () => {
    host = await createScratchHost({
      tarballs,
      install: ['@persian-hub/client', '@persian-hub/core', '@persian-hub/server-adapter'],
      extra: ['express', 'fastify'],
      dev: ['@types/node', '@types/express'],
    });
  });

  afterAll(async () => {
    await host?.remove();
  });

  it('ESM: downloads from the Hub emulator, byte for byte, and serves it over Express and Fastify', async () => {
    await host.write('download.mjs', hostScript('esm'));
    const result = resultOf(await host.run(process.execPath, ['download.mjs'], { HF_ENDPOINT: hub.url, CACHE_DIR: join(host.dir, 'cache-esm') }));
    expectRealDownload(result);
  });

  it('CommonJS: the same with require() of every entry point', async () => {
    await host.write('download.cjs', hostScript('cjs'));
    const result = resultOf(await host.run(process.execPath, ['download.cjs'], { HF_ENDPOINT: hub.url, CACHE_DIR: join(host.dir, 'cache-cjs') }));
    expectRealDownload(result);
  });

  it('the persian-hub bin runs from the installed package', async () => {
    const run = await host.run(join(host.dir, 'node_modules', '.bin', 'persian-hub'), ['list', '--kind', 'tts'], { LANG: 'en_US.UTF-8' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/piper/i);
  });

  it('TypeScript with moduleResolution node16: ESM and CommonJS files type-check against the shipped .d.ts/.d.cts', async () => {
    await host.write(
      'esm.mts',
      `import { createDownloadManager, isPersianHubError, type JobSnapshot, type DownloadManagerOptions } from '@persian-hub/core';
import type { JobSnapshot as FromDeprecatedEntry } from '@persian-hub/core/client';
import { createPersianHubClient, type PersianHubClient, type JobSnapshot as FromClient } from '@persian-hub/client';
import { createPersianHubHandler, type PersianHubHandlerOptions } from '@persian-hub/server-adapter';
import { createExpressRouter } from '@persian-hub/server-adapter/express';
import { persianHub } from '@persian-hub/server-adapter/fastify';

const options: DownloadManagerOptions = { token: false, concurrency: 1 };
const manager = createDownloadManager(options);
const same: FromClient = {} as JobSnapshot satisfies FromDeprecatedEntry;
const client: PersianHubClient = createPersianHubClient({ baseUrl: '/api/sources' });
const handler = createPersianHubHandler(manager, {} satisfies PersianHubHandlerOptions);
void [same, client, handler, createExpressRouter, persianHub, isPersianHubError];
`,
    );
    await host.write(
      'cjs.cts',
      `import core = require('@persian-hub/core');
import client = require('@persian-hub/client');
import adapter = require('@persian-hub/server-adapter/express');

const manager: core.DownloadManager = core.createDownloadManager({ token: false });
const job: client.JobSnapshot | undefined = manager.get('job_x');
void [job, adapter.createExpressRouter(manager)];
`,
    );
    await host.write(
      'tsconfig.node16.json',
      JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['esm.mts', 'cjs.cts'] }),
    );
    const run = await host.run(process.execPath, [tsc, '-p', 'tsconfig.node16.json', '--pretty', 'false']);
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.code).toBe(0);
  });

  it('TypeScript with moduleResolution bundler type-checks too', async () => {
    await host.write(
      'bundler.ts',
      `import { createDownloadManager, type JobSnapshot } from '@persian-hub/core';
import { createPersianHubClient } from '@persian-hub/client';
import { createExpressRouter } from '@persian-hub/server-adapter/express';

const manager = createDownloadManager();
manager.on('progress', (job: JobSnapshot) => job.progress.toFixed(1));
void [createPersianHubClient(), createExpressRouter(manager)];
`,
    );
    await host.write(
      'tsconfig.bundler.json',
      // The node16 check above already checked the shipped .d.ts files themselves (skipLibCheck false).
      JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: true }, files: ['bundler.ts'] }),
    );
    const run = await host.run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json', '--pretty', 'false']);
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('a browser host app that installs only @persian-hub/react', () => {
  let host: ScratchHost;

  beforeAll(async () => {
    // @persian-hub/client comes in as the kit's dependency (from its tarball), not listed by the host.
    host = await createScratchHost({ tarballs, install: ['@persian-hub/react'], dev: ['@types/react', '@types/react-dom'] });
  });

  afterAll(async () => {
    await host?.remove();
  });

  it('gets no Node-only package: npm ls --omit=dev has no undici, execa or tar-stream', async () => {
    const run = await host.run('npm', ['ls', '--omit=dev', '--all', '--parseable', '--offline']);
    expect(run.code, run.stderr).toBe(0);
    const names = run.stdout
      .split('\n')
      .filter((line) => line.includes('node_modules'))
      .map((line) => line.slice(line.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(names).toContain('@persian-hub/react');
    expect(names).toContain('@persian-hub/client');
    expect(names).toContain('react');
    expect(names.filter((n) => ['undici', 'execa', 'tar-stream', '@persian-hub/core', 'zod'].includes(n))).toEqual([]);
  });

  it('a TSX page type-checks with moduleResolution bundler', async () => {
    await host.write(
      'page.tsx',
      `import { Theme } from '@radix-ui/themes';
import { ModelHub, PersianHubProvider, createPersianHubClient, useDownloads, type JobSnapshot } from '@persian-hub/react';
import { normalizePersian, type PersianHubLiveEvent } from '@persian-hub/client';

function Count() {
  const { jobs } = useDownloads();
  return <span>{jobs.filter((j: JobSnapshot) => j.status === 'downloading').length}</span>;
}

export function Page() {
  const client = createPersianHubClient({ baseUrl: '/api/sources' });
  const onEvent = (e: PersianHubLiveEvent) => e.type;
  void [onEvent, normalizePersian('ي')];
  return (
    <div dir="rtl" lang="fa">
      <Theme appearance="light">
        <PersianHubProvider client={client}>
          <Count />
          <ModelHub locale="fa" />
        </PersianHubProvider>
      </Theme>
    </div>
  );
}
`,
    );
    await host.write(
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', jsx: 'react-jsx', lib: ['es2023', 'dom', 'dom.iterable'], strict: true, noEmit: true, types: [], skipLibCheck: true }, files: ['page.tsx'] }),
    );
    const run = await host.run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false']);
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.code).toBe(0);
  });

  it('loads in Node (server rendering), ESM and CommonJS', async () => {
    await host.write('ssr.mjs', `import * as kit from '@persian-hub/react'; console.log(JSON.stringify({ hub: typeof kit.ModelHub, client: typeof kit.createPersianHubClient }));`);
    await host.write('ssr.cjs', `const kit = require('@persian-hub/react'); console.log(JSON.stringify({ hub: typeof kit.ModelHub, client: typeof kit.createPersianHubClient }));`);
    for (const file of ['ssr.mjs', 'ssr.cjs']) {
      expect(resultOf(await host.run(process.execPath, [file])), file).toEqual({ hub: 'function', client: 'function' });
    }
  });
});
