import type { SegmentPolicy } from './SegmentedTransfer.js';

const MiB = 1024 * 1024;

/** How one large file is fetched over several connections at once (Range requests). */
export interface SegmentOptions {
  /** Files at least this big may be split. At least 1 MiB. @default 16 MiB */
  readonly minSize?: number;
  /** Connections for one file, its first included; 1 turns splitting off. @default 8 */
  readonly maxConnections?: number;
  /**
   * `true`: a file starts on one connection and the rest is split only when that connection is
   * slow (under 16 MiB/s in its first tenth of a second), as on shaped international links; a
   * fast link keeps one connection, whose bytes are hashed as they arrive. `false`: every file of
   * `minSize` or more is split from its first byte, like `aria2c -s`. @default true
   */
  readonly adaptive?: boolean;
}

export const DEFAULT_SEGMENTS: Required<SegmentOptions> = { minSize: 16 * MiB, maxConnections: 8, adaptive: true };

export function resolveSegmentPolicy(options: SegmentOptions | undefined): SegmentPolicy {
  return {
    minSize: Math.max(MiB, options?.minSize ?? DEFAULT_SEGMENTS.minSize),
    maxConnections: Math.max(1, options?.maxConnections ?? DEFAULT_SEGMENTS.maxConnections),
    adaptive: options?.adaptive ?? DEFAULT_SEGMENTS.adaptive,
  };
}
