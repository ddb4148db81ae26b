import { parseArgs } from 'node:util';
import { CATALOG_KINDS } from '../catalog/index.js';
import type { CatalogKind, RepoType } from '../types.js';
import type { Messages } from './messages.js';

export const COMMANDS = ['list', 'pull', 'installed', 'export', 'import', 'rm', 'probe', 'jobs', 'cancel', 'forget', 'keygen'] as const;
export type Command = (typeof COMMANDS)[number];

export interface GlobalOptions {
  readonly endpoints: readonly string[];
  readonly cacheDir?: string;
  readonly token?: string;
  readonly retries?: number;
  readonly lang?: 'fa' | 'en';
}

export type ParsedCli =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: Command;
      readonly args: readonly string[];
      readonly global: GlobalOptions;
      readonly list: { readonly kind?: CatalogKind; readonly query: string };
      readonly pull: {
        readonly include: readonly string[];
        readonly exclude: readonly string[];
        readonly revision?: string;
        readonly repoType?: RepoType;
        readonly localDir?: string;
      };
      readonly bundle: {
        /** `export --sign KEYFILE`. */
        readonly sign?: string;
        /** `import --trust KEY|FILE`, repeatable. */
        readonly trust: readonly string[];
        readonly requireSignature: boolean;
        readonly updateRefs: boolean;
      };
      /** `forget --finished`: every finished job. */
      readonly finished: boolean;
    };

/** Bad usage: exit code 2, message and usage on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  endpoint: { type: 'string', multiple: true },
  'cache-dir': { type: 'string' },
  token: { type: 'string' },
  retries: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  kind: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  revision: { type: 'string' },
  'repo-type': { type: 'string' },
  'local-dir': { type: 'string' },
  sign: { type: 'string' },
  trust: { type: 'string', multiple: true },
  'require-signature': { type: 'boolean' },
  'update-refs': { type: 'boolean' },
  finished: { type: 'boolean' },
} as const;

const GLOBAL = new Set(['endpoint', 'cache-dir', 'token', 'retries', 'lang', 'help', 'version']);
const PER_COMMAND: Readonly<Record<Command, ReadonlySet<string>>> = {
  list: new Set(['kind']),
  pull: new Set(['include', 'exclude', 'revision', 'repo-type', 'local-dir']),
  installed: new Set(),
  export: new Set(['sign']),
  import: new Set(['trust', 'require-signature', 'update-refs']),
  rm: new Set(),
  probe: new Set(),
  keygen: new Set(),
  jobs: new Set(),
  cancel: new Set(),
  forget: new Set(['finished']),
};

/** Positional arguments per command: names for "missing …" messages; `null` max means any number. */
const POSITIONALS: Readonly<Record<Command, { readonly required: readonly string[]; readonly max: number | null }>> = {
  list: { required: [], max: null },
  pull: { required: ['<ID|ORG/NAME>'], max: 1 },
  installed: { required: [], max: 0 },
  export: { required: ['<ID|ORG/NAME>', '<FILE.tar>'], max: 2 },
  import: { required: ['<FILE.tar>'], max: 1 },
  rm: { required: ['<ID|ORG/NAME>'], max: 1 },
  probe: { required: [], max: 0 },
  keygen: { required: ['<KEYFILE>'], max: 1 },
  jobs: { required: [], max: 0 },
  cancel: { required: ['<JOB_ID>'], max: 1 },
  forget: { required: [], max: 1 },
};

function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}

/**
 * `node:util` parseArgs with every option declared once, then per-command checks: an option that
 * does not belong to the command, a missing or extra argument, or a bad value is a UsageError.
 */
export function parseCliArgs(argv: readonly string[], msg: Messages): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(msg.badOption(error instanceof Error ? error.message : String(error)));
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [name, ...args] = positionals;
  if (name === undefined) throw new UsageError(msg.missingArgument('<COMMAND>'));
  if (!isCommand(name)) throw new UsageError(msg.unknownCommand(name));
  const command = name;

  for (const t of tokens) {
    if (t.kind === 'option' && !GLOBAL.has(t.name) && !PER_COMMAND[command].has(t.name)) {
      throw new UsageError(msg.optionNotForCommand(t.rawName, command));
    }
  }

  const spec = POSITIONALS[command];
  if (args.length < spec.required.length) throw new UsageError(msg.missingArgument(spec.required[args.length]!));
  if (spec.max !== null && args.length > spec.max) throw new UsageError(msg.tooManyArguments(JSON.stringify(args[spec.max])));
  for (const [i, a] of args.entries()) {
    if (a.trim() === '' && i < spec.required.length) throw new UsageError(msg.missingArgument(spec.required[i]!));
  }

  if (command === 'forget' && (args.length === 1) === Boolean(values.finished)) {
    throw new UsageError(args.length === 1 ? msg.tooManyArguments(JSON.stringify(args[0])) : msg.missingArgument('<JOB_ID> | --finished'));
  }

  const endpoints = values.endpoint ?? [];
  for (const e of endpoints) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(e).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(msg.badOptionValue('--endpoint', e, 'http(s)://…'));
  }
  let retries: number | undefined;
  if (values.retries !== undefined) {
    retries = Number(values.retries);
    if (!/^\d+$/.test(values.retries) || retries > 100) throw new UsageError(msg.badOptionValue('--retries', values.retries, '0–100'));
  }
  const lang = values.lang;
  if (lang !== undefined && lang !== 'fa' && lang !== 'en') throw new UsageError(msg.badOptionValue('--lang', lang, 'fa | en'));
  const kind = values.kind;
  if (kind !== undefined && !(CATALOG_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(msg.badOptionValue('--kind', kind, CATALOG_KINDS.join(' | ')));
  }
  const repoType = values['repo-type'];
  if (repoType !== undefined && repoType !== 'model' && repoType !== 'dataset') {
    throw new UsageError(msg.badOptionValue('--repo-type', repoType, 'model | dataset'));
  }
  for (const [flag, value] of [
    ['--cache-dir', values['cache-dir']],
    ['--token', values.token],
    ['--revision', values.revision],
    ['--local-dir', values['local-dir']],
    ['--sign', values.sign],
    ...(values.trust ?? []).map((t) => ['--trust', t] as const),
  ] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(msg.badOptionValue(flag, value, '…'));
  }

  if (values['require-signature'] && (values.trust ?? []).length === 0) {
    throw new UsageError(msg.badOptionValue('--require-signature', 'true', msg.needsTrust));
  }

  return {
    kind: 'run',
    command,
    args,
    global: {
      endpoints,
      ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
      ...(values.token !== undefined ? { token: values.token } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(lang !== undefined ? { lang } : {}),
    },
    list: { ...(kind !== undefined ? { kind: kind as CatalogKind } : {}), query: command === 'list' ? args.join(' ') : '' },
    pull: {
      include: values.include ?? [],
      exclude: values.exclude ?? [],
      ...(values.revision !== undefined ? { revision: values.revision } : {}),
      ...(repoType !== undefined ? { repoType } : {}),
      ...(values['local-dir'] !== undefined ? { localDir: values['local-dir'] } : {}),
    },
    bundle: {
      ...(values.sign !== undefined ? { sign: values.sign } : {}),
      trust: values.trust ?? [],
      requireSignature: values['require-signature'] === true,
      updateRefs: values['update-refs'] === true,
    },
    finished: values.finished === true,
  };
}
