import { describe, expect, it, vi } from 'vitest';
import { ModelCard } from './ModelCard.js';
import { modelFacts } from './modelFacts.js';
import { makeJob, makeModel, renderInTheme } from './testing.js';

// Counts how often the card works out its chips: once per render of the chips.
vi.mock('./modelFacts.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./modelFacts.js')>();
  return { ...original, modelFacts: vi.fn(original.modelFacts) };
});

describe('ModelCard during a download', () => {
  it('renders the chips and details again only when the entry changes, not on every progress tick', () => {
    // Ten downloads at 4 Hz re-rendered every chip and the folded file table of their cards 40
    // times a second (most of the page's main-thread time in Chromium): a tick changes the job only.
    const facts = vi.mocked(modelFacts);
    const noop = () => undefined;
    const model = makeModel({ job: makeJob({ status: 'downloading', bytesDownloaded: 1, progress: 1 }) });
    // renderInTheme's wrapper (Radix <Theme>) stays around every rerender.
    const { rerender } = renderInTheme(<ModelCard model={model} locale="en" onPause={noop} onCancel={noop} />);
    const first = facts.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    for (let tick = 2; tick <= 5; tick++) {
      const job = makeJob({ status: 'downloading', bytesDownloaded: tick, progress: tick });
      rerender(<ModelCard model={{ ...model, job }} locale="en" onPause={noop} onCancel={noop} />);
    }
    expect(facts.mock.calls.length).toBe(first);
    // The progress itself did move.
    expect(document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('5');
    // A change of the entry (here its licence) does render the chips again.
    rerender(<ModelCard model={{ ...model, license: 'apache-2.0' }} locale="en" onPause={noop} onCancel={noop} />);
    expect(facts.mock.calls.length).toBe(first + 1);
  });
});
