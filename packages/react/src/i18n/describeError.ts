import { isPersianHubErrorCode } from '@persian-hub/client';
import { formatBytes } from '../format/formatBytes.js';
import { formatDuration } from '../format/formatDuration.js';
import type { HttpOnlyErrorCode, Locale } from './Messages.js';
import { getMessages } from './getMessages.js';

/** The shape errors have in a JobSnapshot and in the REST error body. */
export interface ErrorLike {
  readonly code?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface DescribedError {
  /** The stable code, or null when the error carried none. */
  readonly code: string | null;
  readonly title: string;
  readonly description: string;
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

/** Turns an error code plus its details into a title and a what-to-do sentence in `locale`. */
export function describeError(
  error: ErrorLike | string,
  locale: Locale = 'fa',
  options: DescribeErrorOptions = {},
): DescribedError {
  const m = getMessages(locale);
  const e: ErrorLike = typeof error === 'string' ? { message: error } : error;
  const d = e.details;
  const required = num(d, 'requiredBytes');
  const available = num(d, 'availableBytes');
  const retryAfter = num(d, 'retryAfter');
  const repoId = str(d, 'repoId') ?? options.repoId ?? null;
  const file = str(d, 'file');
  const revision = str(d, 'revision');
  const entry =
    e.code !== undefined && isPersianHubErrorCode(e.code)
      ? m.errors[e.code]
      : e.code !== undefined && Object.hasOwn(m.httpErrors, e.code)
        ? m.httpErrors[e.code as HttpOnlyErrorCode]
        : m.unknownError;
  const description = entry.description({
    repoId: repoId === null ? null : isolate(repoId),
    requiredBytes: required === null ? null : formatBytes(required, locale),
    availableBytes: available === null ? null : formatBytes(available, locale),
    retryAfter: retryAfter === null ? null : formatDuration(retryAfter, locale),
    file: file === null ? null : isolate(file),
    revision: revision === null ? null : isolate(revision),
    status: num(d, 'status'),
  });
  return { code: e.code ?? null, title: entry.title, description, technical: e.message };
}
