// @vitest-environment jsdom
// Item 11 of issue 13: a progress tick (4 a second per download) must render the card of that
// download and nothing else, not the hundred cards around it. Renders are counted, not timed.
import { act, waitFor, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CatalogEntry, EventSourceConstructorLike } from '@persian-hub/client';
import { catalog, createContractServer, type ContractServer } from '../../client/test/support/createContractServer.js';
import { NodeEventSource } from '../../client/test/support/NodeEventSource.js';
import { renderInTheme } from './components/testing.js';
import { ModelHub } from './ModelHub.js';
import { PersianHubProvider } from './PersianHubProvider.js';

const renders = vi.hoisted(() => ({ cards: new Map<string, number>(), views: 0 }));

vi.mock('./components/ModelCard.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./components/ModelCard.js')>();
  function CountedModelCard(props: import('./components/ModelCard.js').ModelCardProps) {
    renders.cards.set(props.model.id, (renders.cards.get(props.model.id) ?? 0) + 1);
    return createElement(mod.ModelCard, props);
  }
  return { ...mod, ModelCard: CountedModelCard };
});

vi.mock('./components/ModelHubView.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./components/ModelHubView.js')>();
  function CountedModelHubView(props: import('./components/ModelHubView.js').ModelHubViewProps) {
    renders.views++;
    return createElement(mod.ModelHubView, props);
  }
  return { ...mod, ModelHubView: CountedModelHubView };
});

const EventSource = NodeEventSource as unknown as EventSourceConstructorLike;
const ENTRIES = 40;
const DOWNLOADS = 10;
let server: ContractServer;
const original = [...catalog];

beforeEach(async () => {
  const base = catalog[0]!;
  const extra: CatalogEntry[] = Array.from({ length: ENTRIES - catalog.length }, (_, i) => ({
    ...base,
    id: `extra-${i}`,
    repoId: `org/extra-${i}`,
    name: { fa: `مدل ${i}`, en: `Model ${i}` },
  }));
  catalog.push(...extra);
  server = await createContractServer();
});
afterEach(async () => {
  await server.close();
  catalog.splice(0, catalog.length, ...original);
});

describe('ModelHub re-renders', () => {
  it('renders one card per progress tick, and neither the list nor the other cards', async () => {
    const jobs = catalog.slice(0, DOWNLOADS).map((entry, i) =>
      server.seedJob({ id: `job-${i}`, catalogId: entry.id, repoId: entry.repoId, status: 'downloading', bytesTotal: 1000, bytesDownloaded: 10, progress: 1 }),
    );
    renderInTheme(
      <PersianHubProvider baseUrl={server.baseUrl} EventSource={EventSource} pollIntervalMs={20} streamRetryMs={20}>
        <ModelHub locale="en" />
      </PersianHubProvider>,
    );
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(ENTRIES), { timeout: 20_000 });
    await server.until(() => server.openStreams() === 1);
    const bar = (id: string) => within(document.querySelector<HTMLElement>(`article[data-model-id="${id}"]`)!).getByRole('progressbar');
    await waitFor(() => expect(bar(catalog[0]!.id).getAttribute('aria-valuenow')).toBe('1'), { timeout: 20_000 });

    renders.cards.clear();
    renders.views = 0;
    for (const [i, job] of jobs.entries()) {
      act(() => void server.update(job.id, { bytesDownloaded: 500, progress: 50 }, 'progress'));
      await waitFor(() => expect(bar(catalog[i]!.id).getAttribute('aria-valuenow')).toBe('50'), { timeout: 20_000 });
    }

    // Ten ticks, ten downloads: each card rendered once, the list and the 30 idle cards not at all.
    expect(Object.fromEntries(renders.cards)).toEqual(Object.fromEntries(catalog.slice(0, DOWNLOADS).map((e) => [e.id, 1])));
    expect(renders.views).toBe(0);
  });
});
