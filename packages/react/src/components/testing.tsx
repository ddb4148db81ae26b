// Test helpers (not exported from the package).
import type { AvailableModel, InstalledSnapshot, JobSnapshot } from '@persian-hub/client';
import { Theme } from '@radix-ui/themes';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';

// jsdom has no ResizeObserver; Radix Select measures its trigger with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Nor pointer capture or scrollIntoView, which Radix Select calls when it opens.
Element.prototype.hasPointerCapture ??= () => false;
Element.prototype.releasePointerCapture ??= () => {};
Element.prototype.scrollIntoView ??= () => {};

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

export function renderInTheme(ui: ReactElement): RenderResult {
  return render(ui, { wrapper: ({ children }) => <Theme>{children}</Theme> });
}

export function makeJob(overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: 'job-1',
    catalogId: 'piper-fa-amir',
    repoId: 'gyroing/Persian-Piper-Model-Amir',
    repoType: 'model',
    revision: 'main',
    commit: null,
    include: [],
    exclude: [],
    status: 'downloading',
    progress: 26.7,
    bytesDownloaded: 120_000_000,
    bytesTotal: 450_000_000,
    speed: 2_500_000,
    eta: 132,
    currentFile: 'fa_IR-amir-medium.onnx',
    files: [],
    path: null,
    endpoint: 'https://huggingface.co',
    backend: 'native',
    error: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:10.000Z',
    completedAt: null,
    localDir: null,
    ...overrides,
  };
}

export const installedSnapshot: InstalledSnapshot = {
  key: 'model:gyroing/Persian-Piper-Model-Amir@0123456789abcdef0123456789abcdef01234567',
  catalogId: 'piper-fa-amir',
  repoId: 'gyroing/Persian-Piper-Model-Amir',
  repoType: 'model',
  commit: '0123456789abcdef0123456789abcdef01234567',
  refs: ['main'],
  path: '/home/user/.cache/huggingface/hub/models--gyroing--Persian-Piper-Model-Amir/snapshots/0123',
  sizeOnDisk: 63_200_000,
  fileCount: 2,
  location: 'cache',
};

export function makeModel(overrides: Partial<AvailableModel> = {}): AvailableModel {
  return {
    id: 'piper-fa-amir',
    repoId: 'gyroing/Persian-Piper-Model-Amir',
    repoType: 'model',
    kind: 'tts',
    revision: 'main',
    include: ['*.onnx', '*.onnx.json'],
    exclude: [],
    sizeBytes: 63_200_000,
    license: 'mit',
    commercialUse: true,
    gated: false,
    name: { fa: 'صدای امیر (Piper)', en: 'Amir voice (Piper)' },
    description: { fa: 'صدای مردانهٔ فارسی برای Piper', en: 'Persian male voice for Piper' },
    tags: ['piper', 'onnx', 'fa'],
    homepage: 'https://huggingface.co/gyroing/Persian-Piper-Model-Amir',
    provider: 'gyroing',
    installed: null,
    job: null,
    ...overrides,
  };
}
