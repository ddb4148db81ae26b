import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manySmallFiles } from '@persian-hub/hub-emulator';
import { HubClient, isPersianHubError, repoFolderName } from '../src/index.js';
import { parseNextLink } from '../src/hub/parseNextLink.js';
import { emulator, manager } from './helpers.js';

const COMMIT = 'c'.repeat(40);
const OID = 'a'.repeat(40);
const SHA = 'b'.repeat(64);
const TOKEN = 'hf_emulator_token';

/** A real HTTP server on 127.0.0.1 that answers what `handle` says: for Hub answers no emulator gives. */
async function fakeHub(handle: (req: IncomingMessage, res: ServerResponse, base: string) => void) {
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  let base = '';
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { base, seen, close };
}

const json = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isPersianHubError(error), `expected a PersianHubError, got ${String(error)}`).toBe(true);
  return error as { code: string; message: string; details: Record<string, unknown> };
}

const fastRetry = { retries: 0, minDelayMs: 1, maxDelayMs: 1 };

describe('renamed repos: the Hub answers 307 with a relative Location', () => {
  it('downloads a renamed model through its former id, into the folder of the id asked for (as huggingface_hub does)', async () => {
    const emu = await emulator({
      pageSize: 2,
      repos: [
        {
          id: 'new-org/voice',
          renamedFrom: ['old-org/voice'],
          files: [
            { path: 'config.json', content: '{"sample_rate":22050}' },
            { path: 'model.onnx', size: 70_000 },
            { path: 'MODEL_CARD', content: 'a voice' },
            { path: 'sub/tokens.txt', content: 'ا\nب\n' },
          ],
        },
      ],
    });
    const m = await manager(emu.url, { token: TOKEN });
    const done = await m.waitFor((await m.start({ repoId: 'old-org/voice' })).id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    const repo = emu.repos.get('model:new-org/voice')!;
    expect(done.commit).toBe(repo.commit);
    expect(done.path).toBe(join(m.cacheDir, repoFolderName('model', 'old-org/voice'), 'snapshots', repo.commit));
    expect(await readFile(join(done.path!, 'config.json'), 'utf8')).toBe('{"sample_rate":22050}');
    expect((await readdir(join(done.path!, 'sub')))).toEqual(['tokens.txt']);
    expect(done.files.map((f) => f.path).sort()).toEqual(['MODEL_CARD', 'config.json', 'model.onnx', 'sub/tokens.txt']);
    // Revision, every tree page (two files a page) and every resolve went through a 307.
    const redirects = emu.requests.filter((r) => r.status === 307);
    expect(redirects.some((r) => r.url.startsWith('/api/models/old-org/voice/revision/main'))).toBe(true);
    expect(redirects.some((r) => r.url.startsWith('/api/models/old-org/voice/tree/'))).toBe(true);
    // Four files and one folder, two entries a page: three pages, all from the new name.
    expect(emu.requests.filter((r) => r.url.startsWith('/api/models/new-org/voice/tree/')).length).toBe(3);
    // Same origin throughout: the token went along to the new name, and never to the CDN.
    expect(emu.requests.filter((r) => r.url.startsWith('/api/')).every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(emu.requests.filter((r) => r.url.startsWith('/cdn/')).every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('keeps the query of the request when the Location has none', async () => {
    const hub = await fakeHub((req, res) => {
      if (req.url!.startsWith('/api/models/old/x/tree/')) {
        res.writeHead(308, { location: `/api/models/new/x/tree/${COMMIT}` });
        res.end();
      } else if (req.url === `/api/models/new/x/tree/${COMMIT}?recursive=true&expand=false`) {
        json(res, [{ type: 'file', path: 'a.txt', size: 1, oid: OID }]);
      } else {
        res.writeHead(404, { 'x-error-code': 'RepoNotFound' });
        res.end();
      }
    });
    try {
      const client = new HubClient({ endpoint: hub.base, retry: fastRetry });
      expect(await client.listFiles('model', 'old/x', COMMIT)).toEqual([{ path: 'a.txt', size: 1, oid: OID, lfs: null }]);
      await client.close();
    } finally {
      await hub.close();
    }
  });

  it('stops after a few redirects, and never follows one to another host (the token stays home)', async () => {
    const other = await fakeHub((_req, res) => json(res, { id: 'evil/x', sha: COMMIT }));
    const hub = await fakeHub((req, res) => {
      if (req.url!.startsWith('/api/models/loop/')) {
        res.writeHead(307, { location: req.url! });
        res.end();
      } else if (req.url!.startsWith('/api/models/away/')) {
        res.writeHead(307, { location: `${other.base}/api/models/evil/x/revision/main` });
        res.end();
      } else {
        res.writeHead(307);
        res.end();
      }
    });
    try {
      const client = new HubClient({ endpoint: hub.base, token: TOKEN, retry: fastRetry });
      const loop = await failure(client.repoInfo('model', 'loop/x', 'main'));
      expect(loop.code).toBe('HUB_ERROR');
      expect(loop.message).toMatch(/Too many redirects/);
      expect(hub.seen.filter((s) => s.url.startsWith('/api/models/loop/')).length).toBe(6);

      const away = await failure(client.repoInfo('model', 'away/x', 'main'));
      expect(away.code).toBe('HUB_ERROR');
      expect(away.message).toContain(`another host (${new URL(other.base).host})`);
      expect(other.seen).toEqual([]);

      const nowhere = await failure(client.repoInfo('model', 'nowhere/x', 'main'));
      expect(nowhere.message).toMatch(/answered 307 .* without saying where to go/);
      expect(hub.seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
      await client.close();
    } finally {
      await hub.close();
      await other.close();
    }
  });
});

describe('tree listings are checked before anything is planned', () => {
  const entry = (over: Record<string, unknown>) => ({ type: 'file', path: 'model.bin', size: 10, oid: OID, ...over });

  async function listWith(entries: unknown, options: { maxTreePages?: number; maxTreeEntries?: number } = {}) {
    const hub = await fakeHub((_req, res) => json(res, entries));
    try {
      const client = new HubClient({ endpoint: hub.base, retry: fastRetry, ...options });
      const result = client.listFiles('model', 'org/name', COMMIT);
      const out = await failure(result);
      await client.close();
      return out;
    } finally {
      await hub.close();
    }
  }

  it.each([
    ['a negative size', entry({ size: -5 }), /"model\.bin" has an impossible size \(-5\)/],
    ['a fractional size', entry({ size: 1.5 }), /impossible size \(1\.5\)/],
    ['a size as text', entry({ size: '10' }), /impossible size \("10"\)/],
    ['no size', entry({ size: undefined }), /impossible size \(none\)/],
    ['a size past 2^53', entry({ size: 2 ** 60 }), /impossible size/],
    ['a size over 1 TiB', entry({ size: 2 ** 40 + 1 }), /impossible size \(1099511627777\)/],
    ['an oid that is not a hash', entry({ oid: '../../etc' }), /"model\.bin" has no valid git object id/],
    ['an LFS sha256 that is not a hash', entry({ lfs: { oid: 'xyz', size: 10 } }), /no valid LFS sha256/],
    ['an LFS size different from the size', entry({ lfs: { oid: SHA, size: 11 } }), /has two sizes \(10 and LFS 11\)/],
    ['a negative LFS size', entry({ size: -1, lfs: { oid: SHA, size: -1 } }), /impossible size/],
    ['a file without a path', entry({ path: 7 }), /a file without a path/],
    ['an entry that is not an object', 'model.bin', /an entry that is not an object/],
    ['a path listed twice', [entry({}), entry({})], /"model\.bin" is listed twice/],
    ['a bidi name (shown escaped)', entry({ path: 'evil\u202Etxt.exe', size: -1 }), /"evil\\u\{202E\}txt\.exe" has an impossible size/],
  ])('answers %s with HUB_ERROR naming the file', async (_label, bad, message) => {
    const e = await listWith(Array.isArray(bad) ? bad : [entry({ path: 'ok.txt' }), bad]);
    expect(e.code).toBe('HUB_ERROR');
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\u202E');
  });

  it('keeps good entries as they are and skips folders', async () => {
    const hub = await fakeHub((_req, res) =>
      json(res, [{ type: 'directory', path: 'sub', size: 0, oid: OID }, entry({}), entry({ path: 'sub/w.safetensors', size: 2 ** 33, lfs: { oid: SHA, size: 2 ** 33, pointerSize: 134 } })]),
    );
    try {
      const client = new HubClient({ endpoint: hub.base, retry: fastRetry });
      expect(await client.listFiles('model', 'org/name', COMMIT)).toEqual([
        { path: 'model.bin', size: 10, oid: OID, lfs: null },
        { path: 'sub/w.safetensors', size: 2 ** 33, oid: OID, lfs: { oid: SHA, size: 2 ** 33 } },
      ]);
      await client.close();
    } finally {
      await hub.close();
    }
  });

  it('bounds the pages and entries of one listing', async () => {
    const emu = await emulator({ pageSize: 10, repos: [manySmallFiles(60)] });
    const repoId = [...emu.repos.values()][0]!.id;
    const commit = [...emu.repos.values()][0]!.commit;
    const pages = new HubClient({ endpoint: emu.url, retry: fastRetry, maxTreePages: 3 });
    const tooManyPages = await failure(pages.listFiles('model', repoId, commit));
    expect(tooManyPages.code).toBe('HUB_ERROR');
    expect(tooManyPages.message).toMatch(/goes on past 3 pages/);
    expect(emu.requests.filter((r) => r.url.includes('/tree/')).length).toBe(3);
    const entries = new HubClient({ endpoint: emu.url, retry: fastRetry, maxTreeEntries: 25 });
    expect((await failure(entries.listFiles('model', repoId, commit))).message).toMatch(/more than 25 entries/);
    const enough = new HubClient({ endpoint: emu.url, retry: fastRetry });
    emu.resetStats();
    expect((await enough.listFiles('model', repoId, commit)).length).toBe(60);
    expect(emu.requests.filter((r) => r.url.includes('/tree/')).length).toBeGreaterThan(3);
    await Promise.all([pages.close(), entries.close(), enough.close()]);
  });

  it('fails a download job with HUB_ERROR naming the file when the tree lies about a size', async () => {
    const hub = await fakeHub((req, res) => {
      if (req.url!.includes('/revision/')) json(res, { id: 'org/name', sha: COMMIT });
      else if (req.url!.includes('/tree/')) json(res, [entry({ path: 'weights.bin', size: -1024 })]);
      else {
        res.writeHead(500);
        res.end();
      }
    });
    try {
      const m = await manager(hub.base, { retry: fastRetry });
      const job = await m.waitFor((await m.start({ repoId: 'org/name' })).id).catch((e: unknown) => e);
      const snapshot = m.list().at(-1)!;
      expect(snapshot.status).toBe('failed');
      expect(snapshot.error?.code).toBe('HUB_ERROR');
      expect(snapshot.error?.message).toMatch(/"weights\.bin" has an impossible size \(-1024\)/);
      expect(isPersianHubError(job)).toBe(true);
      expect(hub.seen.some((s) => s.url.includes('/resolve/'))).toBe(false);
    } finally {
      await hub.close();
    }
  });
});

describe('parseNextLink', () => {
  it('finds the next page among other links, as the RegExp did', () => {
    expect(parseNextLink('<https://hub.test/api/tree?cursor=2>; rel="next"')).toBe('https://hub.test/api/tree?cursor=2');
    expect(parseNextLink('<https://hub.test/a>; rel="prev", <https://hub.test/b>;  rel="next"')).toBe('https://hub.test/b');
    expect(parseNextLink('<https://hub.test/a>; rel="nextish"')).toBeUndefined();
    expect(parseNextLink('<ftp://hub.test/a>; rel="next"')).toBeUndefined();
    expect(parseNextLink('<https://hub.test/a> ; rel="next"')).toBeUndefined();
    expect(parseNextLink(undefined)).toBeUndefined();
    expect(parseNextLink('')).toBeUndefined();
  });

  it('reads a long hostile header in one pass', () => {
    // Thousands of `<https://` without `>`: the old RegExp rescanned the rest of the header from each one.
    expect(parseNextLink('<https://'.repeat(2000))).toBeUndefined();
    expect(parseNextLink(`${'<https://x>; rel="prev", '.repeat(2000)}<https://hub.test/next>; rel="next"`)).toBe('https://hub.test/next');
  });
});
