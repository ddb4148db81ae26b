import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, axeSerious, launch, watchErrors } from './browser.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let demo: ChildProcess;
let url = '';
let emulatorUrl = '';
let cache = '';
let browser: Browser;

/** `npm run demo` minus the build (npm test has built everything): the Express app + the emulator. */
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'ph-e2e-'));
  demo = spawn(process.execPath, [join(root, 'examples/express-app/demo.mjs')], {
    env: { ...process.env, PORT: '0', HF_HUB_CACHE: join(cache, 'hub'), DEMO_BYTES_PER_SEC: '60000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: demo.stdout! })) {
    const e = /Hub emulator: (\S+)/.exec(line);
    if (e) emulatorUrl = e[1]!;
    const m = /Persian Hub demo: (\S+)/.exec(line);
    if (m) {
      url = m[1]!;
      break;
    }
  }
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGTERM');
    await exited;
  }
  await rm(cache, { recursive: true, force: true });
});

const card = (page: Page, id: string) => page.locator(`article[data-model-id="${id}"]`);

/** The card's aria-valuenow, or -1 when it shows no progress bar (never waits for one). */
async function progressOf(page: Page, id: string): Promise<number> {
  return page.evaluate((modelId) => {
    const bar = document.querySelector(`article[data-model-id="${modelId}"] [role="progressbar"]`);
    const v = bar?.getAttribute('aria-valuenow');
    return v == null ? -1 : Number(v);
  }, id);
}

describe('the demo app in Chromium (Express + React UI + Hub emulator)', () => {
  it('searches in Persian, downloads with a moving progress bar until «نصب شده», pauses, resumes and cancels', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fa-IR' });
    const errors = watchErrors(page);
    await page.goto(url);
    await expect.poll(() => page.locator('article[data-model-id]').count()).toBeGreaterThan(15);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-1-loaded.png') });

    // Persian search, typed with the Arabic yeh (ي) that many keyboards produce: still finds «امیر».
    const search = page.getByRole('searchbox').or(page.getByLabel(/جستجو/)).first();
    await search.fill('امير');
    await expect.poll(() => page.locator('article[data-model-id]').count()).toBeLessThan(5);
    await (card(page, 'piper-fa-amir-medium')).waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-2-search.png') });

    // Download: the bar appears and moves, then the card says «نصب شده».
    await card(page, 'piper-fa-amir-medium').getByRole('button', { name: 'دانلود' }).click();
    await expect.poll(() => progressOf(page, 'piper-fa-amir-medium'), { timeout: 30_000 }).toBeGreaterThan(0);
    const first = await progressOf(page, 'piper-fa-amir-medium');
    await expect.poll(() => progressOf(page, 'piper-fa-amir-medium'), { timeout: 30_000 }).toBeGreaterThan(first);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-3-downloading.png') });
    await (card(page, 'piper-fa-amir-medium').getByText('نصب شده').first()).waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-4-installed.png') });

    // Pause and resume a bigger one, then cancel it.
    await search.fill('PersianMind');
    const mind = card(page, 'persianmind-v1');
    await mind.getByRole('button', { name: 'دانلود' }).click();
    await expect.poll(() => progressOf(page, 'persianmind-v1'), { timeout: 30_000 }).toBeGreaterThan(0);
    await mind.getByRole('button', { name: 'توقف' }).click();
    await (mind.getByRole('button', { name: 'ادامه' })).waitFor({ state: 'visible' });
    await (mind.getByText('متوقف شده').first()).waitFor({ state: 'visible' });
    const pausedAt = await progressOf(page, 'persianmind-v1');
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-5-paused.png') });
    await mind.getByRole('button', { name: 'ادامه' }).click();
    await expect.poll(() => progressOf(page, 'persianmind-v1'), { timeout: 30_000 }).toBeGreaterThan(pausedAt);
    await mind.getByRole('button', { name: 'لغو' }).click();
    // Cancel deletes what was downloaded, so it asks first, saying how much.
    const ask = page.getByRole('alertdialog');
    await ask.waitFor({ state: 'visible' });
    expect(await ask.textContent()).toMatch(/که تا حالا دریافت شده پاک می‌شود/);
    await ask.getByRole('button', { name: 'لغو و پاک کردن' }).click();
    await (mind.getByRole('button', { name: 'دانلود' })).waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => (mind.getByRole('progressbar')).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-6-cancelled.png') });

    // The server agrees: one completed, one cancelled, nothing half-installed.
    const jobs = (await (await fetch(`${url}api/sources/downloads`)).json()) as Array<{ catalogId: string; status: string }>;
    expect(jobs.find((j) => j.catalogId === 'piper-fa-amir-medium')?.status).toBe('completed');
    expect(jobs.find((j) => j.catalogId === 'persianmind-v1')?.status).toBe('cancelled');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('installs from an offline bundle picked in the page (the USB-disk path), and names the damaged file of a bad copy', async () => {
    // A bundle of the voice (the first test downloads it; alone, this test does), as `persian-hub export` or the export route makes it.
    const started = (await (await fetch(`${url}api/sources/download`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'piper-fa-amir-medium' }) })).json()) as { jobId: string; job: { status: string } };
    await expect
      .poll(async () => ((await (await fetch(`${url}api/sources/download/${started.jobId}/status`)).json()) as { status: string }).status, { timeout: 60_000 })
      .toBe('completed');
    const exported = await fetch(`${url}api/sources/installed/piper-fa-amir-medium/bundle`);
    expect(exported.status).toBe(200);
    const tar = Buffer.from(await exported.arrayBuffer());
    const good = join(cache, 'amir.persian-hub.tar');
    await writeFile(good, tar);
    const name = tar.indexOf('files/fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    expect(name).toBeGreaterThan(0);
    const damaged = Buffer.from(tar);
    const at = name - (name % 512) + 512 + 100; // inside the model's bytes, after its tar header
    damaged[at] = damaged[at]! ^ 0xff;
    const bad = join(cache, 'amir-damaged.persian-hub.tar');
    await writeFile(bad, damaged);
    // This machine "has no internet" for the voice now: it is removed, and comes back only from the bundle.
    expect((await fetch(`${url}api/sources/installed/piper-fa-amir-medium`, { method: 'DELETE' })).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fa-IR' });
    const errors = watchErrors(page);
    await page.goto(url);
    await page.getByRole('searchbox').or(page.getByLabel(/جستجو/)).first().fill('امیر');
    const amir = card(page, 'piper-fa-amir-medium');
    await amir.getByRole('button', { name: 'دانلود' }).waitFor({ state: 'visible' });
    const pick = async (file: string) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'نصب از بستهٔ آفلاین…' }).click();
      await (await chooser).setFiles(file);
    };

    await pick(bad);
    const alert = page.getByTestId('import-bundle-error');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('fa_IR-amir-medium.onnx');
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-8-bundle-refused.png') });
    await expect.poll(async () => amir.getByText('نصب شده').count()).toBe(0);

    await pick(good);
    await amir.getByText('نصب شده').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByText(/از بستهٔ آفلاین نصب شد/).first().waitFor({ state: 'visible' });
    expect(await alert.count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-9-bundle-installed.png') });
    const installed = (await (await fetch(`${url}api/sources/installed`)).json()) as Array<{ catalogId: string | null }>;
    expect(installed.some((i) => i.catalogId === 'piper-fa-amir-medium')).toBe(true);
    // The refusal was a 422 the page handled; nothing else went wrong in the console.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    await page.close();
  });

  it('the Fastify host serves the same UI and API (npm run example:fastify)', async () => {
    const cacheDir = join(cache, 'fastify-hub');
    const app = spawn(process.execPath, [join(root, 'examples/fastify-app/server.mjs')], {
      env: { ...process.env, PORT: '0', HF_ENDPOINT: emulatorUrl, HF_HUB_CACHE: cacheDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let appUrl = '';
      for await (const line of createInterface({ input: app.stdout! })) {
        const m = /on (http\S+)/.exec(line);
        if (m) {
          appUrl = m[1]!;
          break;
        }
      }
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const errors = watchErrors(page);
      await page.goto(appUrl);
      await expect.poll(() => page.locator('article[data-model-id]').count()).toBeGreaterThan(15);
      await card(page, 'piper-fa-gyro-medium').getByRole('button', { name: 'دانلود' }).click();
      await card(page, 'piper-fa-gyro-medium').getByText('نصب شده').first().waitFor({ state: 'visible', timeout: 60_000 });
      await page.screenshot({ path: join(SCREENSHOTS, 'fastify-installed.png') });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      const exited = new Promise((r) => app.once('exit', r));
      app.kill('SIGTERM');
      await exited;
    }
  });

  it('has no serious or critical axe violations (fa light, en dark)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await expect.poll(() => page.locator('article[data-model-id]').count()).toBeGreaterThan(15);
    const fa = await axeSerious(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: /حالت تیره|Dark/ }).click();
    await expect.poll(() => (page.locator('html[lang="en"]')).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-7-en-dark.png') });
    const en = await axeSerious(page);
    const describe = (vs: typeof fa) => vs.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`);
    expect([...describe(fa), ...describe(en)]).toEqual([]);
    await page.close();
  });
});
