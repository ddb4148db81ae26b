import type { Segment } from './segmentMap.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * A connection slower than this is worth splitting: per-connection shaping sits far below it,
 * while a fast link (a LAN mirror, loopback) stays on one connection, hashed in flight, with no
 * pieces to read back.
 */
const SLOW_BYTES_PER_SECOND = 16 * MiB;
/**
 * …and only when the connection is what limits it: it spends at least this share of its time
 * waiting for bytes. A busy machine (our own hashing and writing, a loaded CPU) makes any
 * connection look slow, and more connections would not help.
 */
const LINK_BOUND_IDLE = 0.5;
/** A split never makes pieces smaller than this: each costs a request and a round trip. */
const MIN_SEGMENT = MiB;
/** A connection that ran out of work takes half of the biggest rest, when that rest is at least twice this… */
const MIN_STEAL = 512 * KiB;
/**
 * …and when that rest would take its own connection more than this long. A fast connection is
 * left alone: a new request costs a round trip for little gain. A stalled or slow one is exactly
 * what taking work is for.
 */
const STEAL_WORTH_MS = 1000;
/** A connection's speed is judged after it has been at work this long; an idle one waits that long to judge. */
export const JUDGE_MS = 250;

/** A piece of one file while it downloads: the persisted `Segment` plus what its connection is doing. */
export interface LiveSegment<Owner = unknown> extends Segment {
  /** Received up to here (written, or in memory on its way to disk); `pos <= recv <= end`. */
  recv: number;
  owner: Owner | null;
  /** The furthest `pos` reached: attempts that do not get past it count toward the retry limit. */
  hwm: number;
  attempts: number;
  /** When the request now in flight was sent, and `recv` then (null between requests: backing off, or unclaimed). */
  streamAt: number | null;
  streamFrom: number;
  /** Time this request spent waiting for bytes (done waits), and when the wait now going on began. */
  waitMs: number;
  waitingSince: number | null;
  /** Where the request in flight stops (exclusive). */
  reqEnd: number;
}

export function live<Owner>(start: number, pos: number, end: number): LiveSegment<Owner> {
  return { start, pos, end, recv: pos, owner: null, hwm: pos, attempts: 0, streamAt: null, streamFrom: pos, waitMs: 0, waitingSince: null, reqEnd: end };
}

/** How fast this piece's request brings bytes, and how much of its time it waits for them (0…1). */
export function pace(seg: LiveSegment, now: number): { rate: number; idle: number } {
  const age = Math.max(1, now - (seg.streamAt ?? now));
  const waiting = seg.waitMs + (seg.waitingSince === null ? 0 : now - seg.waitingSince);
  return { rate: ((seg.recv - seg.streamFrom) * 1000) / age, idle: Math.min(1, waiting / age) };
}

/** The adaptive probe's verdict on a lone connection: slow, and waiting for its bytes. */
export function isSlowLink(bytesPerSecond: number, seg: LiveSegment, now: number): boolean {
  return bytesPerSecond < SLOW_BYTES_PER_SECOND && pace(seg, now).idle >= LINK_BOUND_IDLE;
}

/** Into how many pieces the rest of `seg` may go (1: not worth splitting). */
export function piecesFor(seg: LiveSegment, maxConnections: number): number {
  return Math.max(1, Math.min(maxConnections, Math.floor((seg.end - seg.recv) / MIN_SEGMENT)));
}

/**
 * Cuts the rest of `seg` (from what it has received) into `n` equal pieces: `seg` keeps the
 * first, the others are returned, unowned, in file order.
 */
export function splitRest<Owner>(seg: LiveSegment<Owner>, n: number): LiveSegment<Owner>[] {
  const share = Math.floor((seg.end - seg.recv) / n);
  const oldEnd = seg.end;
  const pieces: LiveSegment<Owner>[] = [];
  for (let i = 1; i < n; i++) {
    const from = seg.recv + i * share;
    pieces.push(live(from, from, i === n - 1 ? oldEnd : from + share));
  }
  seg.end = seg.recv + share;
  return pieces;
}

/**
 * Where a connection that ran out of work may take over: half of the biggest rest of a piece
 * whose connection is slow (or stalled, or between requests). A request that brings bytes is
 * never cut short (its socket buffers would be wasted): only what lies beyond it is taken; one
 * that brings nothing may be. `wait` when a candidate is too young to judge.
 */
export function pickSteal<Owner>(
  segments: readonly LiveSegment<Owner>[],
  thief: Owner,
  now: number,
): { readonly victim: LiveSegment<Owner>; readonly at: number } | { readonly waitMs: number } | null {
  let waitMs = Infinity;
  const candidates = segments
    .filter((s) => s.owner !== null && s.owner !== thief && s.end - s.recv >= 2 * MIN_STEAL)
    .sort((a, b) => b.end - b.recv - (a.end - a.recv));
  for (const victim of candidates) {
    const half = victim.recv + Math.ceil((victim.end - victim.recv) / 2);
    // Between requests (backing off after a failure): its rest is free to take.
    if (victim.streamAt === null) return { victim, at: half };
    const age = now - victim.streamAt;
    if (age < JUDGE_MS) {
      waitMs = Math.min(waitMs, JUDGE_MS - age);
      continue;
    }
    const { rate } = pace(victim, now);
    if ((victim.end - victim.recv) / Math.max(rate, 1) < STEAL_WORTH_MS / 1000) continue;
    const stalled = victim.waitingSince !== null && now - victim.waitingSince >= JUDGE_MS;
    const at = Math.max(stalled ? victim.recv : victim.reqEnd, half);
    if (victim.end - at >= MIN_STEAL) return { victim, at };
  }
  return waitMs === Infinity ? null : { waitMs };
}
