import { describe, expect, it } from 'vitest';
import { makeJob, makeModel } from '../components/testing.js';
import { joinModels } from './jobs.js';

describe('joinModels', () => {
  it('keeps each entry when the job list brings the same job the catalog already carried, as another object', () => {
    // The catalog answer carries each model's job; the job list (or the stream's snapshot) then
    // brings the same jobs as new objects. Every downloading card re-rendered for nothing.
    const job = makeJob({ status: 'downloading', bytesDownloaded: 10, progress: 1 });
    const raw = [makeModel({ job })];
    const before = joinModels(raw, {}, false, null, null);
    expect(before[0]!.job).toBe(job);
    const after = joinModels(raw, { [job.id]: structuredClone(job) }, true, before, raw);
    expect(after).toBe(before);
    // A job that did change still gives a new entry.
    const moved = { ...job, bytesDownloaded: 20, progress: 2, updatedAt: new Date(Date.parse(job.updatedAt) + 1000).toISOString() };
    const next = joinModels(raw, { [job.id]: moved }, true, after, raw);
    expect(next).not.toBe(after);
    expect(next[0]!.job).toBe(moved);
  });
});
