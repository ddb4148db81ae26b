// Fixture data for stories. Repo ids are real Persian resources on the Hub; sizes, licenses and
// flags are illustrative (close to what the Hub showed, not verified for this file), and nothing
// here is ever fetched.
import type { AvailableModel, InstalledSnapshot, JobSnapshot } from '@persian-hub/client';

const NOW = '2025-06-01T10:00:00.000Z';

export const piperAmir: AvailableModel = {
  id: 'piper-fa-amir',
  repoId: 'rhasspy/piper-voices',
  repoType: 'model',
  kind: 'tts',
  revision: 'main',
  include: ['fa/fa_IR/amir/medium/*'],
  exclude: [],
  sizeBytes: 63_201_294,
  license: 'mit',
  commercialUse: true,
  gated: false,
  name: { fa: 'صدای امیر (Piper)', en: 'Amir voice (Piper)' },
  description: {
    fa: 'صدای مردانهٔ فارسی با کیفیت متوسط برای Piper؛ سریع و سبک، مناسب اجرا روی CPU.',
    en: 'Medium-quality Persian male voice for Piper; fast and light, runs well on a CPU.',
  },
  tags: ['piper', 'onnx', 'vits', 'fa_IR'],
  homepage: 'https://huggingface.co/rhasspy/piper-voices',
  provider: 'rhasspy',
  installed: null,
  job: null,
};

export const parsBert: AvailableModel = {
  id: 'parsbert-base',
  repoId: 'HooshvareLab/bert-fa-zwnj-base',
  repoType: 'model',
  kind: 'model',
  revision: 'main',
  include: ['config.json', 'vocab.txt', 'tokenizer_config.json', 'pytorch_model.bin'],
  exclude: [],
  sizeBytes: 475_583_000,
  license: 'apache-2.0',
  commercialUse: true,
  gated: false,
  name: { fa: 'پارس‌برت (با نیم‌فاصله)', en: 'ParsBERT (ZWNJ)' },
  description: {
    fa: 'مدل زبانی BERT برای فارسی که نیم‌فاصله را می‌شناسد؛ پایهٔ دسته‌بندی متن و استخراج موجودیت.',
    en: 'A BERT language model for Persian that understands ZWNJ; a base for classification and NER.',
  },
  tags: ['bert', 'fill-mask', 'transformers'],
  homepage: 'https://huggingface.co/HooshvareLab/bert-fa-zwnj-base',
  provider: 'HooshvareLab',
  installed: null,
  job: null,
};

export const kamteraVits: AvailableModel = {
  id: 'kamtera-vits-male',
  repoId: 'Kamtera/persian-tts-male-vits',
  repoType: 'model',
  kind: 'tts',
  revision: 'main',
  include: ['*.pth', 'config.json'],
  exclude: [],
  sizeBytes: 333_000_000,
  license: 'openrail',
  commercialUse: true,
  gated: false,
  name: { fa: 'صدای مردانهٔ VITS (کامترا)', en: 'Male VITS voice (Kamtera)' },
  description: {
    fa: 'مدل VITS برای تبدیل متن فارسی به گفتار با Coqui TTS.',
    en: 'A VITS model for Persian text to speech with Coqui TTS.',
  },
  tags: ['coqui', 'vits', 'tts'],
  homepage: 'https://huggingface.co/Kamtera/persian-tts-male-vits',
  provider: 'Kamtera',
  installed: null,
  job: null,
};

export const mmsTts: AvailableModel = {
  id: 'mms-tts-fas',
  repoId: 'facebook/mms-tts-fas',
  repoType: 'model',
  kind: 'tts',
  revision: 'main',
  include: [],
  exclude: [],
  sizeBytes: 145_300_000,
  license: 'cc-by-nc-4.0',
  commercialUse: false,
  gated: false,
  name: { fa: 'MMS گفتار فارسی (متا)', en: 'MMS Persian TTS (Meta)' },
  description: {
    fa: 'مدل چندزبانهٔ متا برای تبدیل متن به گفتار؛ فقط برای کارهای غیرتجاری.',
    en: 'Meta’s massively multilingual text to speech; non-commercial use only.',
  },
  tags: ['mms', 'vits', 'transformers'],
  homepage: 'https://huggingface.co/facebook/mms-tts-fas',
  provider: 'facebook',
  installed: null,
  job: null,
};

export const commonVoice: AvailableModel = {
  id: 'common-voice-fa',
  repoId: 'hezarai/common-voice-13-fa',
  repoType: 'dataset',
  kind: 'dataset',
  revision: 'main',
  include: [],
  exclude: [],
  sizeBytes: 1_310_000_000,
  license: 'cc0-1.0',
  commercialUse: true,
  gated: false,
  name: { fa: 'کامن ویس ۱۳ فارسی', en: 'Common Voice 13 (Persian)' },
  description: {
    fa: 'گفتار خوانده‌شدهٔ داوطلبان با متن؛ برای آموزش و ارزیابی تشخیص گفتار.',
    en: 'Read speech from volunteers with transcripts, for training and evaluating ASR.',
  },
  tags: ['audio', 'speech', 'parquet'],
  homepage: 'https://huggingface.co/datasets/hezarai/common-voice-13-fa',
  provider: 'hezarai',
  installed: null,
  job: null,
};

export const commonVoiceGated: AvailableModel = {
  ...commonVoice,
  id: 'common-voice-17-fa',
  repoId: 'mozilla-foundation/common_voice_17_0',
  include: ['audio/fa/**', 'transcript/fa/**'],
  sizeBytes: 2_040_000_000,
  gated: true,
  name: { fa: 'کامن ویس ۱۷ (بخش فارسی)', en: 'Common Voice 17 (Persian part)' },
  description: {
    fa: 'نسخهٔ رسمی موزیلا؛ پیش از دانلود باید شرایط را در صفحهٔ مخزن بپذیرید.',
    en: 'Mozilla’s official release; accept the terms on the repo page before downloading.',
  },
  homepage: 'https://huggingface.co/datasets/mozilla-foundation/common_voice_17_0',
  provider: 'mozilla-foundation',
};

export const dornaGguf: AvailableModel = {
  id: 'dorna-llama3-8b-gguf',
  repoId: 'PartAI/Dorna-Llama3-8B-Instruct-GGUF',
  repoType: 'model',
  kind: 'llm',
  revision: 'main',
  include: ['dorna-llama3-8b-instruct.Q4_K_M.gguf'],
  exclude: [],
  sizeBytes: 4_920_000_000,
  license: 'llama3',
  commercialUse: true,
  gated: false,
  name: { fa: 'درنا ۸ میلیاردی (GGUF)', en: 'Dorna 8B (GGUF)' },
  description: {
    fa: 'مدل گفتگوی فارسی بر پایهٔ Llama 3 از پارت؛ کوانتیزهٔ Q4_K_M برای llama.cpp.',
    en: 'A Persian chat model on Llama 3 by Part AI; Q4_K_M quantised for llama.cpp.',
  },
  tags: ['gguf', 'llama.cpp', 'chat', 'Q4_K_M'],
  homepage: 'https://huggingface.co/PartAI/Dorna-Llama3-8B-Instruct-GGUF',
  provider: 'PartAI',
  notes: {
    fa: 'حدود ۶ گیگابایت حافظه لازم دارد.',
    en: 'Needs about 6 GB of RAM.',
  },
  installed: null,
  job: null,
};

export const wav2vecFa: AvailableModel = {
  id: 'wav2vec2-fa',
  repoId: 'm3hrdadfi/wav2vec2-large-xlsr-persian-v3',
  repoType: 'model',
  kind: 'asr',
  revision: 'main',
  include: [],
  exclude: [],
  sizeBytes: 1_270_000_000,
  license: 'apache-2.0',
  commercialUse: true,
  gated: false,
  name: { fa: 'wav2vec2 فارسی', en: 'Persian wav2vec2' },
  description: {
    fa: 'تشخیص گفتار فارسی بر پایهٔ XLSR، آموزش‌دیده روی Common Voice.',
    en: 'Persian speech recognition on XLSR, fine-tuned on Common Voice.',
  },
  tags: ['wav2vec2', 'ctc', 'transformers'],
  homepage: 'https://huggingface.co/m3hrdadfi/wav2vec2-large-xlsr-persian-v3',
  provider: 'm3hrdadfi',
  installed: null,
  job: null,
};

export const tookaSbert: AvailableModel = {
  id: 'tooka-sbert',
  repoId: 'PartAI/Tooka-SBERT',
  repoType: 'model',
  kind: 'embedding',
  revision: 'main',
  include: [],
  exclude: [],
  sizeBytes: 1_640_000_000,
  license: 'apache-2.0',
  commercialUse: true,
  gated: false,
  name: { fa: 'توکا (بردارساز جمله)', en: 'Tooka sentence embeddings' },
  description: {
    fa: 'بردار جمله‌های فارسی برای جستجوی معنایی و RAG.',
    en: 'Persian sentence embeddings for semantic search and RAG.',
  },
  tags: ['sentence-transformers', 'rag'],
  homepage: 'https://huggingface.co/PartAI/Tooka-SBERT',
  provider: 'PartAI',
  installed: null,
  job: null,
};

export const catalog: readonly AvailableModel[] = [
  piperAmir,
  parsBert,
  kamteraVits,
  mmsTts,
  commonVoice,
  commonVoiceGated,
  dornaGguf,
  wav2vecFa,
  tookaSbert,
];

export function job(model: AvailableModel, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: `job-${model.id}`,
    catalogId: model.id,
    repoId: model.repoId,
    repoType: model.repoType,
    revision: model.revision,
    commit: null,
    include: model.include,
    exclude: model.exclude,
    status: 'downloading',
    progress: 0,
    bytesDownloaded: 0,
    bytesTotal: model.sizeBytes,
    speed: 0,
    eta: null,
    currentFile: null,
    files: [],
    path: null,
    endpoint: 'https://huggingface.co',
    backend: 'native',
    error: null,
    createdAt: NOW,
    updatedAt: NOW,
    completedAt: null,
    localDir: null,
    ...overrides,
  };
}

export function installed(model: AvailableModel): InstalledSnapshot {
  const commit = '8f0d2c6b1e3a4f5d9c7b2a1e0f3d4c5b6a7e8f90';
  const folder = `${model.repoType}s--${model.repoId.replace('/', '--')}`;
  return {
    key: `${model.repoType}:${model.repoId}@${commit}`,
    catalogId: model.id,
    repoId: model.repoId,
    repoType: model.repoType,
    commit,
    refs: ['main'],
    path: `/home/sara/.cache/huggingface/hub/${folder}/snapshots/${commit}`,
    sizeOnDisk: model.sizeBytes,
    fileCount: 3,
    location: 'cache',
  };
}

/** A job 45% through `model`, 2.5 MB/s. */
export function downloading(model: AvailableModel, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  const total = model.sizeBytes;
  const done = Math.round(total * 0.45);
  const speed = 2_500_000;
  return job(model, {
    status: 'downloading',
    progress: 45,
    bytesDownloaded: done,
    bytesTotal: total,
    speed,
    eta: Math.round((total - done) / speed),
    currentFile: model.include[0]?.replace('*', 'fa_IR-amir-medium.onnx') ?? 'pytorch_model.bin',
    ...overrides,
  });
}

export const withJob = (model: AvailableModel, j: JobSnapshot | null): AvailableModel => ({ ...model, job: j });

export const failedWith = (model: AvailableModel, code: string, message: string, details?: Record<string, unknown>) =>
  withJob(
    model,
    downloading(model, { status: 'failed', speed: 0, eta: null, error: details ? { code, message, details } : { code, message } }),
  );

/** The hub as it looks mid-session: one installed, one running, one paused, one failed. */
export const liveCatalog: readonly AvailableModel[] = [
  { ...piperAmir, installed: installed(piperAmir), job: job(piperAmir, { status: 'completed', progress: 100, bytesDownloaded: piperAmir.sizeBytes, completedAt: NOW }) },
  withJob(parsBert, downloading(parsBert)),
  kamteraVits,
  withJob(mmsTts, downloading(mmsTts, { status: 'paused', speed: 0, eta: null, progress: 62, bytesDownloaded: 90_086_000 })),
  commonVoice,
  failedWith(commonVoiceGated, 'GATED_REPO', 'Access to dataset mozilla-foundation/common_voice_17_0 is restricted', { status: 403 }),
  dornaGguf,
  wav2vecFa,
  tookaSbert,
];

/** A wait before the next attempt (the manager's `retry`), 90 s from when the story loads. */
export const retryIn90s = (model: AvailableModel, code = 'RATE_LIMITED', attempt = 2): JobSnapshot =>
  downloading(model, {
    speed: 0,
    eta: null,
    retry: {
      file: model.include[0] ?? 'model.safetensors',
      attempt,
      maxAttempts: 5,
      nextAttemptAt: new Date(Date.now() + 90_000).toISOString(),
      error: { code, message: code === 'RATE_LIMITED' ? 'HTTP 429 Too Many Requests' : 'fetch failed: ECONNRESET', details: code === 'RATE_LIMITED' ? { retryAfter: 90 } : {} },
    },
  });

export const downloadJobs: readonly JobSnapshot[] = [
  downloading(parsBert, {
    currentFile: 'pytorch_model.bin',
    files: [
      { path: 'config.json', size: 1_040, bytesDownloaded: 1_040, status: 'completed', lfs: false },
      { path: 'vocab.txt', size: 1_214_000, bytesDownloaded: 1_214_000, status: 'cached', lfs: false },
      { path: 'tokenizer_config.json', size: 520, bytesDownloaded: 520, status: 'completed', lfs: false },
      { path: 'pytorch_model.bin', size: 474_367_440, bytesDownloaded: 212_800_000, status: 'downloading', lfs: true },
    ],
  }),
  job(dornaGguf, {
    status: 'resolving',
    bytesTotal: null,
    files: [],
  }),
  downloading(mmsTts, {
    status: 'paused',
    speed: 0,
    eta: null,
    progress: 62,
    bytesDownloaded: 90_086_000,
    files: [
      { path: 'config.json', size: 1_800, bytesDownloaded: 1_800, status: 'completed', lfs: false },
      { path: 'model.safetensors', size: 145_298_200, bytesDownloaded: 90_084_200, status: 'pending', lfs: true },
    ],
  }),
  retryIn90s(tookaSbert),
  downloading(wav2vecFa, {
    status: 'failed',
    speed: 0,
    eta: null,
    progress: 12,
    bytesDownloaded: 152_400_000,
    error: { code: 'BLOCKED', message: 'TLS handshake reset by peer (huggingface.co)' },
  }),
  job(kamteraVits, { status: 'completed', progress: 100, bytesDownloaded: kamteraVits.sizeBytes, completedAt: NOW }),
];
