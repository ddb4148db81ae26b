import { trimTrailingSlashes } from '@persian-hub/client';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined);

/** `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface` (as huggingface_hub). */
export function resolveHfHome(env: Env = process.env): string {
  return nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache'), 'huggingface');
}

/** Option, else `HF_HUB_CACHE`, else `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`. */
export function resolveCacheDir(option?: string, env: Env = process.env): string {
  return (
    nonEmpty(option) ?? nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(resolveHfHome(env), 'hub')
  );
}

/** Option, else `HF_ENDPOINT`, else https://huggingface.co; trailing slashes stripped. */
export function resolveEndpoint(option?: string, env: Env = process.env): string {
  return trimTrailingSlashes(nonEmpty(option) ?? nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_ENDPOINT);
}

/**
 * Option, else `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, else the token file (`HF_TOKEN_PATH`,
 * default `$HF_HOME/token`). `false` disables the implicit token, like `token=False` in Python.
 */
export function resolveToken(option?: string | false, env: Env = process.env): string | undefined {
  if (option === false) return undefined;
  if (nonEmpty(option)) return option!.trim();
  if (/^(1|on|yes|true)$/i.test(env.HF_HUB_DISABLE_IMPLICIT_TOKEN ?? '')) return undefined;
  const fromEnv = nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN);
  if (fromEnv) return fromEnv;
  const tokenPath = nonEmpty(env.HF_TOKEN_PATH) ?? join(resolveHfHome(env), 'token');
  try {
    return nonEmpty(readFileSync(tokenPath, 'utf8'));
  } catch {
    return undefined;
  }
}
