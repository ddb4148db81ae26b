import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';

export interface HfCliOptions {
  /** The executable. @default 'hf', else 'huggingface-cli' when `hf` is not on PATH */
  readonly command?: string;
  /** Placed before the CLI's own arguments, e.g. `['-m', 'huggingface_hub.cli.hf']` with `command: 'python3'`. */
  readonly args?: readonly string[];
  /** Merged into the child's environment (after ours, so it can override). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedHfCli {
  readonly command: string;
  readonly args: readonly string[];
  /** The legacy `huggingface-cli` prints a deprecation line before the path. */
  readonly legacy: boolean;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`: an absolute or relative path as given, else the first match on PATH. */
export async function findExecutable(command: string, pathEnv = process.env.PATH ?? ''): Promise<string | null> {
  if (command.includes('/') || isAbsolute(command)) return (await isExecutable(command)) ? command : null;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

export const CLI_INSTALL_HINT =
  'Install it with `pip install -U huggingface_hub` (it provides `hf`), pass hfCli.command (for example `python3` with args `-m huggingface_hub.cli.hf`), or use the built-in downloader (backend: "native").';

/** Finds the CLI once, when a job starts, so a missing one fails at `start` with CLI_NOT_FOUND. */
export async function resolveHfCliCommand(options: HfCliOptions = {}): Promise<ResolvedHfCli> {
  const pathEnv = options.env?.PATH ?? process.env.PATH ?? '';
  if (options.command) {
    const found = await findExecutable(options.command, pathEnv);
    if (!found) {
      throw new PersianHubError('CLI_NOT_FOUND', `The Hugging Face CLI command "${options.command}" was not found. ${CLI_INSTALL_HINT}`, {
        details: { command: options.command },
      });
    }
    return { command: found, args: [...(options.args ?? [])], legacy: /huggingface-cli$/.test(options.command) };
  }
  const hf = await findExecutable('hf', pathEnv);
  if (hf) return { command: hf, args: [...(options.args ?? [])], legacy: false };
  const legacy = await findExecutable('huggingface-cli', pathEnv);
  if (legacy) return { command: legacy, args: [...(options.args ?? [])], legacy: true };
  throw new PersianHubError('CLI_NOT_FOUND', `Neither \`hf\` nor \`huggingface-cli\` is on PATH. ${CLI_INSTALL_HINT}`);
}
