import { isPersianHubErrorCode } from '@persian-hub/client';
import { formatBytes } from '../format/formatBytes.js';
import { formatDuration } from '../format/formatDuration.js';
import { formatNumber } from '../format/formatNumber.js';
import type { ErrorMessage, ErrorMessageContext, HttpOnlyErrorCode, ListErrorCulprit, Locale } from './Messages.js';
import { getMessages } from './getMessages.js';

/** The shape errors have in a JobSnapshot and in the REST error body. */
export interface ErrorLike {
  readonly code?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  /** HTTP status of a failed request (a `PersianHubClientError`); 0 when no answer came. */
  readonly status?: number;
  /** Who answered a failed request (`PersianHubClientError.origin`). */
  readonly origin?: string;
}

/**
 * The step that helps, shown beside the message: `importBundle` when the Hub cannot be reached
 * from the server, `requestAccess` for a gated repo, `retry` when trying again may work.
 */
export type ErrorAction = 'importBundle' | 'requestAccess' | 'retry';

const ACTIONS: Readonly<Record<string, ErrorAction>> = {
  BLOCKED: 'importBundle',
  NETWORK: 'importBundle',
  STALLED: 'importBundle',
  GATED_REPO: 'requestAccess',
  RATE_LIMITED: 'retry',
  HUB_ERROR: 'retry',
  CHECKSUM_MISMATCH: 'retry',
  INTERRUPTED: 'retry',
  JOB_STORE_UNAVAILABLE: 'retry',
  RUNNER_GONE: 'retry',
};

export interface DescribedError {
  /** The stable code, or null when the error carried none. */
  readonly code: string | null;
  readonly title: string;
  readonly description: string;
  /** What whoever runs the server can change (tokens, mirrors, disks); null when nothing. Show it folded. */
  readonly admin: string | null;
  /** The step that helps, for a button or a link beside the message. */
  readonly action: ErrorAction | null;
  /** The server's own message, for a "technical details" disclosure. */
  readonly technical: string;
}

export interface DescribeErrorOptions {
  /** Used when the error's details do not name the repo. */
  readonly repoId?: string | null;
}

// First Strong Isolate ... Pop Directional Isolate: the plain-text twin of <bdi>, so a repo id
// or file path inside a Persian sentence keeps its own left-to-right order.
const isolate = (text: string): string => `\u2068${text}\u2069`;

function num(details: Record<string, unknown> | undefined, key: string): number | null {
  const value = details?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(details: Record<string, unknown> | undefined, key: string): string | null {
  const value = details?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function contextOf(e: ErrorLike, locale: Locale, options: DescribeErrorOptions): ErrorMessageContext {
  const d = e.details;
  const required = num(d, 'requiredBytes');
  const available = num(d, 'availableBytes');
  const retryAfter = num(d, 'retryAfter');
  const repoId = str(d, 'repoId') ?? options.repoId ?? null;
  const file = str(d, 'file');
  const revision = str(d, 'revision');
  const status = num(d, 'status') ?? (typeof e.status === 'number' && e.status > 0 ? e.status : null);
  return {
    repoId: repoId === null ? null : isolate(repoId),
    requiredBytes: required === null ? null : formatBytes(required, locale),
    availableBytes: available === null ? null : formatBytes(available, locale),
    retryAfter: retryAfter === null ? null : formatDuration(retryAfter, locale),
    file: file === null ? null : isolate(file),
    revision: revision === null ? null : isolate(revision),
    // «کد ۵۰۲», never «کد 502», and no thousands separator in a status code.
    status: status === null ? null : formatNumber(status, locale, { useGrouping: false }),
  };
}

function described(e: ErrorLike, entry: ErrorMessage, ctx: ErrorMessageContext, action: ErrorAction | null): DescribedError {
  return {
    code: e.code ?? null,
    title: entry.title,
    description: entry.description(ctx),
    admin: entry.admin ? entry.admin(ctx) : null,
    action,
    technical: e.message,
  };
}

/** Turns an error code plus its details into a title and a what-to-do sentence in `locale`. */
export function describeError(
  error: ErrorLike | string,
  locale: Locale = 'fa',
  options: DescribeErrorOptions = {},
): DescribedError {
  const m = getMessages(locale);
  const e: ErrorLike = typeof error === 'string' ? { message: error } : error;
  const entry =
    e.code !== undefined && isPersianHubErrorCode(e.code)
      ? m.errors[e.code]
      : e.code !== undefined && Object.hasOwn(m.httpErrors, e.code)
        ? m.httpErrors[e.code as HttpOnlyErrorCode]
        : m.unknownError;
  return described(e, entry, contextOf(e, locale, options), e.code ? (ACTIONS[e.code] ?? null) : null);
}

/** Codes our server sends when it is fine but the Hub behind it is not. */
const HUB_SIDE = new Set(['NETWORK', 'BLOCKED', 'STALLED', 'HUB_ERROR', 'RATE_LIMITED', 'UNAUTHORIZED']);

/**
 * Who failed when the page could not fetch the catalog: no answer at all (`network`), a page
 * that is not ours (`intermediary`: a filter, a proxy), our server's own error (`server`), or
 * our server saying the Hub failed (`hub`).
 */
export function listErrorCulprit(error: ErrorLike | string): ListErrorCulprit {
  if (typeof error === 'string') return 'server';
  if (error.origin === 'network' || error.status === 0) return 'network';
  if (error.origin === 'intermediary') return 'intermediary';
  if (error.code !== undefined && HUB_SIDE.has(error.code)) return 'hub';
  return 'server';
}

/** Like `describeError`, for a failed fetch of the list itself: names the right culprit (our server, something in between, the Hub). */
export function describeListError(error: ErrorLike | string, locale: Locale = 'fa'): DescribedError & { readonly culprit: ListErrorCulprit } {
  const e: ErrorLike = typeof error === 'string' ? { message: error } : error;
  const culprit = listErrorCulprit(e);
  return { ...described(e, getMessages(locale).hub.listErrors[culprit], contextOf(e, locale, {}), 'retry'), culprit };
}
