import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, axeSerious, launch, watchErrors } from './browser.js';

const STATIC = fileURLToPath(new URL('../stories/storybook-static/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png' };

let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(STATIC, 'index.json'))) throw new Error('Build Storybook first: npm run build-storybook (npm test does it).');
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
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('Storybook (built) in Chromium', () => {
  it('renders every story without console errors, and screenshots each', async () => {
    const index = JSON.parse(await readFile(join(STATIC, 'index.json'), 'utf8')) as { entries: Record<string, { id: string; type: string }> };
    const stories = Object.values(index.entries).filter((e) => e.type === 'story');
    expect(stories.length).toBeGreaterThan(40);
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems: string[] = [];
    for (const story of stories) {
      const errors = watchErrors(page);
      await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`);
      // Rendered: the root has content (Storybook shows its own error display otherwise).
      await page.waitForFunction(() => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0, undefined, { timeout: 15_000 });
      const failed = await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay'));
      if (failed) problems.push(`${story.id}: storybook error display`);
      await page.screenshot({ path: join(SCREENSHOTS, `story-${story.id}.png`), fullPage: true });
      for (const e of errors) problems.push(`${story.id}: ${e}`);
      page.removeAllListeners('console');
      page.removeAllListeners('pageerror');
      page.removeAllListeners('requestfailed');
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the ModelHub story (real store, fake client) downloads on click until «نصب شده»', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${base}/iframe.html?id=demos-modelhub-store-fake-client--persian&viewMode=story`);
    const card = page.locator('article[data-model-id="tooka-sbert"]');
    await card.getByRole('button', { name: 'دانلود' }).click();
    const value = () => card.locator('[role="progressbar"]').first().getAttribute('aria-valuenow').catch(() => null);
    await expect.poll(async () => Number((await value()) ?? -1), { timeout: 20_000 }).toBeGreaterThan(5);
    await page.screenshot({ path: join(SCREENSHOTS, 'story-live-modelhub-downloading.png') });
    await card.getByText('نصب شده').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'story-live-modelhub-installed.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has no serious or critical axe violations on the hub, the cards and the progress bars (fa and en)', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const report: string[] = [];
    for (const id of [
      'components-modelhubview--loaded-fa-light',
      'components-modelhubview--loaded-en-dark',
      'components-modelcard--gallery-fa-light',
      'components-modelcard--gallery-en-dark',
      'components-progressbar--all-states-fa-light',
      'components-downloadspanel--fa-dark',
    ]) {
      await page.goto(`${base}/iframe.html?id=${id}&viewMode=story`);
      await page.waitForFunction(() => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0);
      for (const v of await axeSerious(page)) report.push(`${id}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
    }
    expect(report).toEqual([]);
    await page.close();
  });
});
