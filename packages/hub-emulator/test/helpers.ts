import { createHash } from 'node:crypto';
import type { HubEmulator, ResolvedFile, ResolvedRepo } from '../src/index.js';

export const TOKEN = 'hf_emulator_token';
export const LINK_RE = /<(https?:[/][/][^>]+)>;\s+rel="([^"]+)"/;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function repo(emulator: HubEmulator, key: string): ResolvedRepo {
  const r = emulator.repos.get(key);
  if (!r) throw new Error(`no repo ${key}`);
  return r;
}

export function file(r: ResolvedRepo, path: string, revision = 'main'): ResolvedFile {
  const f = r.revisions.get(revision)?.filesByPath.get(path);
  if (!f) throw new Error(`no file ${path}@${revision} in ${r.key}`);
  return f;
}

export async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}
