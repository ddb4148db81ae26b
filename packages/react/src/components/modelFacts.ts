import type { CatalogEntry } from '@persian-hub/client';

export type CommercialUse = 'yes' | 'no' | 'unclear';

// The same test the catalog schema uses for a non-commercial licence: an `nc` part (cc-by-nc-sa-4.0).
const NON_COMMERCIAL = /(^|-)nc(-|$)/;

/**
 * The catalog's `commercialUse` is true only when the licence clearly allows it and nothing known
 * about the data contradicts it; false covers both "forbidden" and "unclear". Only a
 * non-commercial licence is "no": an MIT voice trained on data of unknown terms is "unclear".
 */
export function commercialUse(entry: Pick<CatalogEntry, 'commercialUse' | 'license' | 'tags'>): CommercialUse {
  if (entry.commercialUse) return 'yes';
  if (NON_COMMERCIAL.test(entry.license) || entry.tags.includes('non-commercial')) return 'no';
  return 'unclear';
}

const LICENSE_NAMES: Readonly<Record<string, string>> = {
  mit: 'MIT',
  'apache-2.0': 'Apache 2.0',
  openrail: 'OpenRAIL',
  'openrail++': 'OpenRAIL++',
  'bigscience-openrail-m': 'BigScience OpenRAIL-M',
  'creativeml-openrail-m': 'CreativeML OpenRAIL-M',
  llama2: 'Llama 2',
  llama3: 'Llama 3',
  'llama3.1': 'Llama 3.1',
  'gpl-3.0': 'GPL 3.0',
  'bsd-3-clause': 'BSD 3-Clause',
  'cc0-1.0': 'CC0',
};

/** "cc-by-nc-sa-4.0" → "CC BY-NC-SA 4.0", "apache-2.0" → "Apache 2.0"; null for `unknown` (the UI says "not stated"). */
export function licenseName(id: string): string | null {
  if (id === 'unknown' || id === 'other' || id === '') return null;
  const known = LICENSE_NAMES[id];
  if (known) return known;
  const cc = /^cc-([a-z-]+?)-(\d+(?:\.\d+)?)$/.exec(id);
  if (cc) return `CC ${cc[1]!.toUpperCase()} ${cc[2]}`;
  return id;
}

const FORMAT_BY_EXTENSION: ReadonlyArray<readonly [RegExp, string, boolean]> = [
  [/\.onnx(\.json)?$/, 'ONNX', false],
  [/\.gguf$/, 'GGUF', false],
  [/\.safetensors$/, 'safetensors', false],
  [/\.(pth|pt|bin|ckpt|pkl)$/, 'PyTorch', true],
  [/\.parquet$/, 'Parquet', false],
];
const FORMAT_BY_TAG: Readonly<Record<string, string>> = { onnx: 'ONNX', gguf: 'GGUF', safetensors: 'safetensors', parquet: 'Parquet' };
const RUNTIME_BY_TAG: Readonly<Record<string, string>> = {
  piper: 'Piper',
  'llama.cpp': 'llama.cpp',
  coqui: 'Coqui TTS',
  'sentence-transformers': 'Sentence Transformers',
  transformers: 'Transformers',
  hezar: 'Hezar',
  'sherpa-onnx': 'sherpa-onnx',
};

export interface ModelFacts {
  readonly commercial: CommercialUse;
  /** Readable licence name, or null when the licence is not stated. */
  readonly license: string | null;
  readonly formats: readonly string[];
  readonly runtimes: readonly string[];
  /** Bytes of memory to load it (an estimate), or null for data and for small models. */
  readonly memoryBytes: number | null;
  /** Loading its files runs Python's pickle, which can execute code. */
  readonly pickle: boolean;
}

/** Loading weights takes about their size in memory, plus some for activations and the runtime. */
const MEMORY_FACTOR = 1.2;
/** Below this a memory chip says nothing useful: anything runs it. */
const MEMORY_WORTH_SAYING = 500_000_000;

/** What the card shows as chips, read from the catalog entry (tags, file patterns, licence, size). */
export function modelFacts(entry: Pick<CatalogEntry, 'commercialUse' | 'license' | 'tags' | 'include' | 'kind' | 'sizeBytes'>): ModelFacts {
  const formats = new Set<string>();
  let pickle = entry.tags.includes('pickle');
  for (const pattern of entry.include) {
    for (const [re, name, isPickle] of FORMAT_BY_EXTENSION) {
      if (re.test(pattern.toLowerCase())) {
        formats.add(name);
        if (isPickle) pickle = true;
      }
    }
  }
  for (const tag of entry.tags) if (FORMAT_BY_TAG[tag]) formats.add(FORMAT_BY_TAG[tag]!);
  if (pickle) formats.add('PyTorch');
  const runtimes = entry.tags.map((t) => RUNTIME_BY_TAG[t]).filter((r): r is string => r !== undefined);
  const memory = entry.kind !== 'dataset' && entry.sizeBytes >= MEMORY_WORTH_SAYING ? entry.sizeBytes * MEMORY_FACTOR : null;
  return {
    commercial: commercialUse(entry),
    license: licenseName(entry.license),
    formats: [...formats],
    // Two at most: a chip row is for deciding, the notes say the rest.
    runtimes: [...new Set(runtimes)].slice(0, 2),
    memoryBytes: memory,
    pickle,
  };
}

const PERSIAN_LETTER = /[\u0600-\u06FF]/;
const NOT_A_TOPIC = new Set(['pickle', 'non-commercial', 'غیرتجاری', 'onnx', 'gguf', 'safetensors', 'parquet', 'tts', 'asr', 'llm', 'dataset', 'embedding', 'model']);

/**
 * The tags worth showing in a language: Persian tags in Persian, the others in English (the
 * catalog lists most topics in both), minus what the chips already say.
 */
export function tagsFor(tags: readonly string[], locale: 'fa' | 'en'): string[] {
  const topics = tags.filter((t) => !NOT_A_TOPIC.has(t) && !RUNTIME_BY_TAG[t]);
  const persian = topics.filter((t) => PERSIAN_LETTER.test(t));
  const other = topics.filter((t) => !PERSIAN_LETTER.test(t));
  const own = locale === 'fa' ? persian : other;
  return own.length > 0 ? own : topics;
}
