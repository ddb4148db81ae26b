// Issue 13: axe reports no violation of any impact on every story (e2e/storybook.test.ts renders
// and screenshots them; this file only runs axe, one test per story, so a failure names its story).
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './axe.js';
import { launch } from './browser.js';

const STATIC = fileURLToPath(new URL('../stories/storybook-static/', import.meta.url));
const INDEX = join(STATIC, 'index.json');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png' };
const stories = existsSync(INDEX)
  ? Object.values((JSON.parse(readFileSync(INDEX, 'utf8')) as { entries: Record<string, { id: string; type: string }> }).entries).filter((e) => e.type === 'story')
  : [];
const BOUND = 90_000;

let server: Server;
let base = '';
let browser: Browser;
let page: Page | null = null;

/**
 * Shows a story in one long-lived preview: the first story loads iframe.html, the next ones are
 * switched to through Storybook's channel (as its manager does), which skips reloading the whole
 * preview for each of ~100 stories. A fresh page is opened when the last one broke.
 */
async function show(id: string): Promise<Page> {
  if (!page || page.isClosed()) {
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(`${base}/iframe.html?id=${id}&viewMode=story`, { timeout: BOUND });
  } else {
    await page.evaluate(
      (storyId) =>
        new Promise<void>((resolve) => {
          const preview = (window as unknown as { __STORYBOOK_PREVIEW__: { channel: { on(e: string, f: (id: string) => void): void; off(e: string, f: (id: string) => void): void; emit(e: string, a: unknown): void } } }).__STORYBOOK_PREVIEW__;
          const done = (rendered: string) => {
            if (rendered !== storyId) return;
            preview.channel.off('storyRendered', done);
            resolve();
          };
          preview.channel.on('storyRendered', done);
          preview.channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
        }),
      id,
    );
  }
  await page.waitForFunction(() => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0, undefined, { timeout: BOUND });
  await page.evaluate(() => document.fonts.ready);
  return page;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(STATIC, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(STATIC) || !(await stat(file).then((s) => s.isFile(), () => false))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launch();
});

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('axe on every story (no violation of any impact)', () => {
  it('finds the built Storybook', () => {
    expect(existsSync(INDEX), 'Build Storybook first: npm run build-storybook (npm test does it).').toBe(true);
    expect(stories.length).toBeGreaterThan(40);
  });

  describe.each(stories.map((story) => story.id))('%s', (id) => {
    it('has no axe violations', { timeout: BOUND }, async () => {
      try {
        const shown = await show(id);
        expect(await shown.evaluate(() => document.body.classList.contains('sb-show-errordisplay')), 'storybook error display').toBe(false);
        expect(describeViolations(id, await axeViolations(shown))).toEqual([]);
      } catch (error) {
        await page?.close();
        page = null;
        throw error;
      }
    });
  });
});
