// Where the official Python client (huggingface_hub 0.36.2, with its `hf` CLI) is on this machine.
// It lives outside the repository, in shared/peers/ beside the checkout (the Python package index
// is unreachable here); its dependencies are Debian packages run by Debian's python3 (the first
// python3 on PATH may be another one without them). .ci/run installs those packages.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HF_PEER_DIR_NAME = 'huggingface_hub-0.36.2';
export const DEBIAN_PACKAGES = 'python3-requests python3-tqdm python3-filelock python3-yaml python3-packaging python3-fsspec python3-typing-extensions';

export interface OfficialHfCli {
  /** The python3 to run it with. */
  readonly python: string;
  /** The source tree to put on PYTHONPATH (it holds `huggingface_hub/`). */
  readonly peer: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * PERSIAN_HUB_HF_PEER, else `shared/peers/huggingface_hub-0.36.2` beside the checkout or beside
 * any folder above it (so a worktree or a CI clone under the same parent finds it too); python
 * from PERSIAN_HUB_PYTHON, else /usr/bin/python3. Throws, saying what is missing and how to get
 * it, rather than letting the tests skip.
 */
export function locateOfficialHfCli(): OfficialHfCli {
  const candidates = process.env.PERSIAN_HUB_HF_PEER
    ? [resolve(process.env.PERSIAN_HUB_HF_PEER)]
    : ancestors(repoRoot).map((dir) => join(dir, 'shared', 'peers', HF_PEER_DIR_NAME));
  const peer = candidates.find((dir) => existsSync(join(dir, 'huggingface_hub', '__init__.py')));
  if (!peer) {
    throw new Error(
      `The official Python client is missing: no huggingface_hub source tree at ${candidates.join(', ')}. ` +
        `Put huggingface_hub ${HF_PEER_DIR_NAME.split('-').pop()} at ../shared/peers/${HF_PEER_DIR_NAME} (beside the checkout) or set PERSIAN_HUB_HF_PEER to it.`,
    );
  }
  const python = process.env.PERSIAN_HUB_PYTHON ?? '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import huggingface_hub, requests, tqdm, filelock, yaml, packaging, fsspec, typing_extensions'], {
      env: { ...process.env, PYTHONPATH: peer },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim().split('\n').at(-1);
    throw new Error(
      `The official Python client at ${peer} does not run with ${python} (${stderr}). ` +
        `Install its dependencies: apt-get install --no-install-recommends ${DEBIAN_PACKAGES} (.ci/run does), or set PERSIAN_HUB_PYTHON.`,
    );
  }
  return { python, peer };
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir, '..'); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}
