import type { FileSpec, RepoSpec } from './types.js';

export interface ManySmallFilesOptions {
  /** @default 'emulator/many-small-files' */
  readonly id?: string;
  /** @default 'model' */
  readonly type?: 'model' | 'dataset';
}

/**
 * A repo of `n` small regular (non-LFS) files spread over nested folders, for throughput and
 * pagination tests: `shard-XX/part-Y/file-NNNN.txt` text files, with every fifth file a small
 * generated `.dat` blob instead.
 */
export function manySmallFiles(n = 300, options: ManySmallFilesOptions = {}): RepoSpec {
  const files: FileSpec[] = [];
  const width = String(Math.max(0, n - 1)).length;
  for (let i = 0; i < n; i++) {
    const dir = `shard-${String(i % 12).padStart(2, '0')}/part-${Math.floor(i / 12) % 3}`;
    const name = String(i).padStart(width, '0');
    if (i % 5 === 4) {
      files.push({ path: `${dir}/file-${name}.dat`, size: 512 + ((i * 37) % 1500), lfs: false });
    } else {
      files.push({ path: `${dir}/file-${name}.txt`, content: `file ${i} of ${n}\nفایل شماره ${i}\n` });
    }
  }
  return { id: options.id ?? 'emulator/many-small-files', type: options.type ?? 'model', files };
}
