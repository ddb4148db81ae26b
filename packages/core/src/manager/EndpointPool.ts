import { trimTrailingSlashes } from '@persian-hub/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import { HubClient } from '../hub/HubClient.js';
import { writeFileAtomic } from '../storage/cacheLayout.js';
import type { RetryPolicy } from '../transfer/retry.js';

export interface EndpointProbe {
  readonly endpoint: string;
  /** The endpoint answered like a Hub (even "not found" counts: it is reachable). */
  readonly ok: boolean;
  readonly latencyMs: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** Failures that say "this endpoint cannot be reached from here": the next endpoint gets its turn. */
export const FAILOVER_CODES: ReadonlySet<string> = new Set(['NETWORK', 'BLOCKED', 'STALLED']);

export interface EndpointPoolOptions {
  readonly endpoints: readonly string[];
  /** Where the endpoint that last worked is remembered across restarts. */
  readonly stateDir: string;
  readonly token: string | undefined;
  readonly proxy?: string | undefined;
  readonly stallTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** Keep-alive connections per endpoint. */
  readonly connections: number;
}

/**
 * The Hub endpoints (mirrors) a manager may use: one client each, the order to try them in (the
 * one that worked last first, remembered across restarts), and probing.
 */
export class EndpointPool {
  readonly endpoints: readonly string[];
  readonly #options: EndpointPoolOptions;
  readonly #clients = new Map<string, HubClient>();
  #preferred: string | null = null;

  constructor(options: EndpointPoolOptions) {
    this.#options = options;
    this.endpoints = options.endpoints.map(trimTrailingSlashes);
    try {
      const saved = JSON.parse(readFileSync(this.#stateFile, 'utf8')) as { lastGood?: unknown };
      if (typeof saved.lastGood === 'string' && this.endpoints.includes(saved.lastGood)) this.#preferred = saved.lastGood;
    } catch {
      // nothing remembered yet
    }
  }

  get #stateFile(): string {
    // Not `.json`: the job store reads every `.json` in the folder as a job.
    return join(this.#options.stateDir, 'endpoints.state');
  }

  /** The endpoint tried first: the last one that worked, else the first configured. */
  preferred(): string {
    return this.#preferred && this.endpoints.includes(this.#preferred) ? this.#preferred : this.endpoints[0]!;
  }

  /** `first` (a job's endpoint from an earlier run) if it is still configured, else the preferred one, then the rest. */
  order(first: string | null): string[] {
    const head = first && this.endpoints.includes(first) ? first : this.preferred();
    return [head, ...this.endpoints.filter((e) => e !== head)];
  }

  async remember(endpoint: string): Promise<void> {
    if (this.#preferred === endpoint) return;
    this.#preferred = endpoint;
    await writeFileAtomic(this.#stateFile, JSON.stringify({ lastGood: endpoint, at: new Date().toISOString() })).catch(() => undefined);
  }

  client(endpoint: string): HubClient {
    let c = this.#clients.get(endpoint);
    if (!c) {
      const o = this.#options;
      c = new HubClient({ endpoint, token: o.token, proxy: o.proxy, stallTimeoutMs: o.stallTimeoutMs, retry: o.retry, connections: o.connections });
      this.#clients.set(endpoint, c);
    }
    return c;
  }

  /**
   * Asks every endpoint for a small, public answer and reports latency or the error class
   * (BLOCKED, NETWORK, …). The fastest good one becomes the preferred endpoint.
   */
  async probe(repoId: string, timeoutMs = 10_000): Promise<EndpointProbe[]> {
    const results = await Promise.all(
      this.endpoints.map(async (endpoint): Promise<EndpointProbe> => {
        const started = performance.now();
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          await this.client(endpoint).repoInfo('model', repoId, 'main', signal, { retries: 0 });
          return { endpoint, ok: true, latencyMs: Math.round(performance.now() - started), error: null };
        } catch (error) {
          const e = isPersianHubError(error)
            ? error
            : signal.aborted
              ? new PersianHubError('NETWORK', `No answer from ${endpoint} within ${timeoutMs} ms.`)
              : new PersianHubError('NETWORK', String(error));
          // A Hub that answers (even "not found") is reachable; only transport failures count against it.
          const reachable = !FAILOVER_CODES.has(e.code) && e.code !== 'HUB_ERROR';
          return { endpoint, ok: reachable, latencyMs: reachable ? Math.round(performance.now() - started) : null, error: reachable ? null : { code: e.code, message: e.message } };
        }
      }),
    );
    const best = results.filter((r) => r.ok).sort((a, b) => a.latencyMs! - b.latencyMs!)[0];
    if (best) await this.remember(best.endpoint);
    return results;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}
