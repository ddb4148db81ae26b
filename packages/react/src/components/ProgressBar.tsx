import type { JobSnapshot } from '@persian-hub/client';
import { Box, Flex, Text } from '@radix-ui/themes';
import { useId } from 'react';
import { formatBytes, formatBytesRange, formatSpeed } from '../format/formatBytes.js';
import { formatDuration } from '../format/formatDuration.js';
import { formatNumber, formatPercent } from '../format/formatNumber.js';
import type { Locale } from '../i18n/Messages.js';
import { describeError } from '../i18n/describeError.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { getMessages } from '../i18n/getMessages.js';
import { isJobStalled } from './jobPhase.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { useNow } from './useNow.js';

export type ProgressStatus = 'queued' | 'preparing' | 'downloading' | 'verifying' | 'paused' | 'error' | 'done';

/** A file is tried again after a failure (the job's `retry`). */
export interface ProgressRetry {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** ISO time of the next attempt. */
  readonly nextAttemptAt: string;
  /** The failure's code (RATE_LIMITED, NETWORK, …), to say why. */
  readonly code?: string;
}

export interface ProgressBarProps {
  /** @default 'downloading' */
  readonly status?: ProgressStatus;
  /**
   * No bytes have arrived for a while. The host decides what "a while" is (the job's speed
   * has been 0 for N seconds); only meaningful while downloading.
   * @default false
   */
  readonly stalled?: boolean;
  /**
   * Another program on the server is downloading this file into the same cache; the job waits
   * for it (the job's `waitingFor`). Shown instead of "stalled": nothing is wrong with the network.
   * @default false
   */
  readonly waiting?: boolean;
  /** Set while the job waits to try a file again: shows a countdown and the attempt. */
  readonly retry?: ProgressRetry | null;
  /** 0–100. Derived from the byte counts when absent. */
  readonly percent?: number | null;
  /** @default 0 */
  readonly bytesDownloaded?: number;
  /** null (or absent) while the total is unknown: the bar is then indeterminate. */
  readonly bytesTotal?: number | null;
  /** What the catalog expects the total to be, shown («about 450 MB») while `bytesTotal` is unknown. */
  readonly expectedBytes?: number | null;
  /** Bytes per second. */
  readonly speed?: number | null;
  /** Seconds left. */
  readonly eta?: number | null;
  readonly currentFile?: string | null;
  /** Files done and in total («3 of 12 files»), when the job has more than one. */
  readonly filesCompleted?: number | null;
  readonly fileCount?: number | null;
  /** Accessible name of the bar. @default messages.progress.label */
  readonly label?: string;
  /** Bar and percent only, no byte/speed/ETA line (for table rows). @default false */
  readonly compact?: boolean;
  readonly locale?: Locale;
  /** @default the locale's direction */
  readonly dir?: 'rtl' | 'ltr';
}

type VisualState = ProgressStatus | 'stalled' | 'waiting' | 'retrying';

const fillColor: Record<VisualState, string> = {
  queued: 'var(--gray-8)',
  preparing: 'var(--gray-9)',
  downloading: 'var(--accent-9)',
  verifying: 'var(--accent-9)',
  paused: 'var(--amber-9)',
  stalled: 'var(--orange-9)',
  waiting: 'var(--gray-9)',
  retrying: 'var(--amber-9)',
  error: 'var(--red-9)',
  done: 'var(--green-9)',
};

const textColor = {
  queued: 'gray',
  preparing: 'gray',
  downloading: undefined,
  verifying: undefined,
  paused: 'amber',
  stalled: 'orange',
  waiting: 'gray',
  retrying: 'amber',
  error: 'red',
  done: 'green',
} as const satisfies Record<VisualState, string | undefined>;

/**
 * Maps a job to ProgressBar props. `stalled` defaults to the job's own signal (speed 0 with bytes
 * in); `expectedBytes` is the catalog's size, shown while the job does not know its total yet.
 */
export function progressPropsFromJob(job: JobSnapshot, stalled: boolean = isJobStalled(job), expectedBytes: number | null = null): ProgressBarProps {
  const status: ProgressStatus =
    job.status === 'completed'
      ? 'done'
      : job.status === 'failed' || job.status === 'cancelled'
        ? 'error'
        : job.status === 'paused'
          ? 'paused'
          : job.status === 'verifying'
            ? 'verifying'
            : job.status === 'downloading'
              ? 'downloading'
              : job.status === 'resolving'
                ? 'preparing'
                : 'queued';
  return {
    status,
    stalled,
    waiting: Boolean(job.waitingFor),
    retry: job.retry ? { attempt: job.retry.attempt, maxAttempts: job.retry.maxAttempts, nextAttemptAt: job.retry.nextAttemptAt, code: job.retry.error.code } : null,
    percent: job.bytesTotal === null ? null : job.progress,
    bytesDownloaded: job.bytesDownloaded,
    bytesTotal: job.bytesTotal,
    expectedBytes,
    speed: job.speed,
    eta: job.eta,
    currentFile: job.waitingFor || job.retry?.file || job.currentFile,
    filesCompleted: job.filesCompleted ?? null,
    fileCount: job.fileCount ?? null,
  };
}

export function ProgressBar(props: ProgressBarProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const labelId = useId();
  const status = props.status ?? 'downloading';
  const moving = status === 'downloading' || status === 'preparing';
  const visual: VisualState =
    moving && props.retry
      ? 'retrying'
      : status === 'downloading' && props.waiting
        ? 'waiting'
        : status === 'downloading' && props.stalled
          ? 'stalled'
          : status;
  const now = useNow(visual === 'retrying');
  const done = props.bytesDownloaded ?? 0;
  const total = props.bytesTotal ?? null;
  const percent =
    status === 'done'
      ? 100
      : typeof props.percent === 'number'
        ? props.percent
        : total !== null && total > 0
          ? (done / total) * 100
          : total === 0
            ? 100
            : null;
  const indeterminate = percent === null;
  const clamped = percent === null ? 0 : Math.min(100, Math.max(0, percent));
  const stateLabel = m.progress.states[visual];
  const expected = total === null && typeof props.expectedBytes === 'number' ? m.progress.expectedSize(formatBytes(props.expectedBytes, locale)) : null;
  const range = total === null && done === 0 ? (expected ?? formatBytes(null, locale)) : formatBytesRange(done, total, locale);
  const valueText = indeterminate ? range : m.progress.valueText(formatPercent(clamped, locale), range);
  const ariaValueText = visual === 'downloading' ? valueText : m.progress.withState(stateLabel, valueText);
  const showSpeed = (visual === 'downloading' || visual === 'stalled') && typeof props.speed === 'number';
  const showEta = visual === 'downloading' && typeof props.eta === 'number';
  const n = (value: number) => formatNumber(value, locale);
  const files =
    typeof props.fileCount === 'number' && props.fileCount > 1 && typeof props.filesCompleted === 'number'
      ? m.progress.filesDone(n(props.filesCompleted), n(props.fileCount))
      : null;
  let note: string | null = null;
  if (visual === 'waiting') note = m.progress.waitingNote;
  else if (visual === 'stalled') note = m.progress.stalledNote;
  else if (visual === 'preparing') note = m.progress.preparingNote;
  else if (visual === 'retrying' && props.retry) {
    const left = Math.ceil((Date.parse(props.retry.nextAttemptAt) - now) / 1000);
    const attempt = n(props.retry.attempt);
    const max = n(props.retry.maxAttempts);
    const when = Number.isFinite(left) && left > 0 ? m.progress.retryIn(formatDuration(left, locale), attempt, max) : m.progress.retryNow(attempt, max);
    const why = props.retry.code ? m.progress.retryBecause(describeError({ code: props.retry.code, message: '' }, locale).title) : null;
    note = why ? `${when}. ${why}` : when;
  }

  return (
    <Box dir={props.dir ?? m.dir} data-state={visual} data-locale={locale} className="ph-progress ph-root">
      <PersianHubStyles />
      <Flex justify="between" align="center" gap="2" mb="1">
        <Text id={labelId} size="1" weight="medium" color={textColor[visual]}>
          {stateLabel}
        </Text>
        {!indeterminate && (
          <Text size="1" color="gray" aria-hidden="true">
            {formatPercent(clamped, locale)}
          </Text>
        )}
      </Flex>
      <div
        role="progressbar"
        aria-label={props.label ?? m.progress.label}
        aria-describedby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={indeterminate ? undefined : Math.round(clamped * 10) / 10}
        aria-valuetext={ariaValueText}
        className="ph-progress-track"
        data-state={visual}
        data-indeterminate={indeterminate ? '' : undefined}
        data-animated={indeterminate && (visual === 'downloading' || visual === 'verifying' || visual === 'preparing') ? '' : undefined}
        style={{ ['--ph-fill' as string]: fillColor[visual] }}
      >
        <div className="ph-progress-fill" data-dir={props.dir ?? m.dir} style={indeterminate ? undefined : { transform: `scaleX(${clamped / 100})` }} />
      </div>
      {!props.compact && (
        <Flex mt="1" gap="3" wrap="wrap">
          <Text size="1" color="gray">
            {range}
          </Text>
          {files && (
            <Text size="1" color="gray">
              {files}
            </Text>
          )}
          {showSpeed && (
            <Text size="1" color="gray">
              {formatSpeed(props.speed, locale)}
            </Text>
          )}
          {showEta && (
            <Text size="1" color="gray">
              {m.progress.eta(formatDuration(props.eta, locale))}
            </Text>
          )}
        </Flex>
      )}
      {!props.compact && note && (
        <Text as="div" size="1" color={visual === 'stalled' ? 'orange' : 'gray'} mt="1" data-testid="progress-note">
          {note}
        </Text>
      )}
      {!props.compact && props.currentFile && (
        <Text as="div" size="1" color="gray" mt="1" truncate>
          {m.progress.currentFile}:{' '}
          <bdi dir="ltr" className="ph-ltr">
            {props.currentFile}
          </bdi>
        </Text>
      )}
    </Box>
  );
}
