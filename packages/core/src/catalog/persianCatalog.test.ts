import { describe, expect, it } from 'vitest';
import { CATALOG_KINDS, catalogEntrySchema } from './catalogEntrySchema.js';
import { persianCatalog } from './persianCatalog.js';

describe('persianCatalog', () => {
  it('has at least 16 entries', () => {
    expect(persianCatalog.length).toBeGreaterThanOrEqual(16);
  });

  it.each(persianCatalog.map((entry) => [entry.id, entry] as const))('entry %s passes the schema', (_id, entry) => {
    const result = catalogEntrySchema().safeParse(entry);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    // The built-in catalog is not parsed at import: the schema must not change an entry (trimming).
    expect(result.data).toEqual(entry);
  });

  it('uses unique ids', () => {
    const ids = persianCatalog.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every catalog kind', () => {
    const kinds = new Set(persianCatalog.map((entry) => entry.kind));
    for (const kind of CATALOG_KINDS) expect(kinds).toContain(kind);
  });

  it('never marks a non-commercial or undeclared license as commercial', () => {
    for (const entry of persianCatalog) {
      if (/(^|-)nc(-|$)/.test(entry.license) || entry.license === 'unknown') {
        expect(entry.commercialUse, entry.id).toBe(false);
      }
    }
    expect(persianCatalog.filter((entry) => entry.license === 'cc-by-nc-sa-4.0').length).toBeGreaterThan(0);
  });

  it('points each homepage at the repo page on the Hub', () => {
    for (const entry of persianCatalog) {
      const prefix = entry.repoType === 'dataset' ? 'datasets/' : '';
      expect(entry.homepage, entry.id).toBe(`https://huggingface.co/${prefix}${entry.repoId}`);
      expect(entry.repoId.startsWith(`${entry.provider}/`), entry.id).toBe(true);
    }
  });

  it('writes real Persian in every fa name and description', () => {
    for (const entry of persianCatalog) {
      expect(entry.name.fa, entry.id).toMatch(/[\u0600-\u06FF]/);
      expect(entry.description.fa, entry.id).toMatch(/[\u0600-\u06FF]/);
      // Persian text must use Persian yeh and keheh, never the Arabic letters.
      expect(JSON.stringify(entry), entry.id).not.toMatch(/[\u064A\u0643]/);
    }
  });

  it('keeps the corrected seed facts', () => {
    const byId = new Map(persianCatalog.map((entry) => [entry.id, entry]));
    expect(byId.get('kamtera-tts-male-vits')).toMatchObject({ license: 'openrail', include: ['config.json', 'best_model_91323.pth'] });
    expect(byId.get('kamtera-tts-female-vits')).toMatchObject({ include: ['config.json', 'best_model_30824.pth'] });
    expect(byId.get('parsinlu-mt5-small-qa')).toMatchObject({ license: 'cc-by-nc-sa-4.0', commercialUse: false });
    expect(byId.get('pn-summary')).toMatchObject({ repoId: 'HooshvareLab/pn_summary', license: 'mit' });
    expect(byId.get('parsinlu-reading-comprehension')).toMatchObject({
      repoId: 'community-datasets/parsinlu_reading_comprehension',
      revision: 'refs/convert/parquet',
    });
    expect(byId.get('common-voice-13-fa')?.repoId).toBe('hezarai/common-voice-13-fa');
    expect(persianCatalog.some((entry) => entry.repoId.startsWith('mozilla-foundation/'))).toBe(false);
  });
});
