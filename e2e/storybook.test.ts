import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, axeSerious, launch, watchErrors } from './browser.js';

const STATIC = fileURLToPath(new URL('../stories/storybook-static/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png' };

// One test per story, each with its own bound: on a loaded machine one slow story fails alone (with
// its name) instead of a single 71-story test running out of time. Read at collection time; a
// missing build fails the first test below rather than collecting zero stories silently.
const INDEX = join(STATIC, 'index.json');
const stories = existsSync(INDEX)
  ? Object.values((JSON.parse(readFileSync(INDEX, 'utf8')) as { entries: Record<string, { id: string; type: string }> }).entries).filter(
      (e) => e.type === 'story',
    )
  : [];
/** Per story: generous, because it only has to hold on a machine running two suites at once. */
const STORY_BOUND = 90_000;

let server: Server;
let base = '';
let browser: Browser;

/** Opens a story in a fresh page and waits until its root has rendered (Storybook shows its own error display otherwise). */
async function openStory(id: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(`${base}/iframe.html?id=${id}&viewMode=story`, { timeout: STORY_BOUND });
  await page.waitForFunction(() => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0, undefined, { timeout: STORY_BOUND });
  return { page, errors };
}

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
  it('is built and lists the stories', () => {
    expect(existsSync(INDEX), 'Build Storybook first: npm run build-storybook (npm test does it).').toBe(true);
    expect(stories.length).toBeGreaterThan(40);
  });

  describe.each(stories.map((story) => story.id))('%s', (id) => {
    it('renders without console errors (screenshot in test-results)', { timeout: STORY_BOUND }, async () => {
      const { page, errors } = await openStory(id);
      try {
        expect(await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay')), 'storybook error display').toBe(false);
        await page.screenshot({ path: join(SCREENSHOTS, `story-${id}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  it('the ModelHub story (real store, fake client) downloads on click until «نصب شده»', { timeout: 3 * STORY_BOUND }, async () => {
    const { page, errors } = await openStory('demos-modelhub-store-fake-client--persian');
    try {
      const card = page.locator('article[data-model-id="tooka-sbert"]');
      await card.getByRole('button', { name: 'دانلود' }).click({ timeout: STORY_BOUND });
      // Waits for the page's own state (the bar moving past 5 %), not for a time window.
      await page.waitForFunction(
        () => Number(document.querySelector('article[data-model-id="tooka-sbert"] [role="progressbar"]')?.getAttribute('aria-valuenow') ?? -1) > 5,
        undefined,
        { timeout: STORY_BOUND },
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'story-live-modelhub-downloading.png') });
      await card.getByText('نصب شده').first().waitFor({ state: 'visible', timeout: STORY_BOUND });
      await page.screenshot({ path: join(SCREENSHOTS, 'story-live-modelhub-installed.png') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  describe.each([
    'components-modelhubview--loaded-fa-light',
    'components-modelhubview--loaded-en-dark',
    'components-modelcard--gallery-fa-light',
    'components-modelcard--gallery-en-dark',
    'components-progressbar--all-states-fa-light',
    'components-downloadspanel--fa-dark',
  ])('%s', (id) => {
    it('has no serious or critical axe violations', { timeout: STORY_BOUND }, async () => {
      const { page } = await openStory(id);
      try {
        const report = (await axeSerious(page)).map(
          (v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`,
        );
        expect(report).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
