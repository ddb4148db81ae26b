import { setTimeout as delay } from 'node:timers/promises';

/** How failed requests are retried. Exponential backoff with jitter, capped. */
export interface RetryPolicy {
  /** Attempts after the first one. The counter restarts whenever bytes arrive. @default 5 */
  readonly retries: number;
  /** First backoff delay. @default 1000 */
  readonly minDelayMs: number;
  /** Backoff cap, and the cap for a server's Retry-After. @default 30000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 1000, maxDelayMs: 30_000 };

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  // ±20% jitter so parallel files do not retry in lockstep against a struggling server.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Waits, but wakes up (and throws the abort reason) as soon as the signal fires. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
