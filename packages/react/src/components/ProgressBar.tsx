import type { JobSnapshot } from '@persian-hub/client';
import { Box, Flex, Text } from '@radix-ui/themes';
import { useId } from 'react';
import { formatBytes, formatBytesRange, formatSpeed } from '../format/formatBytes.js';
import { formatDuration } from '../format/formatDuration.js';
import { formatPercent } from '../format/formatNumber.js';
import type { Locale } from '../i18n/Messages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { getMessages } from '../i18n/getMessages.js';
import { PersianHubStyles } from './PersianHubStyles.js';

export type ProgressStatus = 'queued' | 'downloading' | 'verifying' | 'paused' | 'error' | 'done';

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
  /** 0–100. Derived from the byte counts when absent. */
  readonly percent?: number | null;
  /** @default 0 */
  readonly bytesDownloaded?: number;
  /** null (or absent) while the total is unknown: the bar is then indeterminate. */
  readonly bytesTotal?: number | null;
  /** Bytes per second. */
  readonly speed?: number | null;
  /** Seconds left. */
  readonly eta?: number | null;
  readonly currentFile?: string | null;
  /** Accessible name of the bar. @default messages.progress.label */
  readonly label?: string;
  /** Bar and percent only, no byte/speed/ETA line (for table rows). @default false */
  readonly compact?: boolean;
  readonly locale?: Locale;
  /** @default the locale's direction */
  readonly dir?: 'rtl' | 'ltr';
}

type VisualState = ProgressStatus | 'stalled' | 'waiting';

const fillColor: Record<VisualState, string> = {
  queued: 'var(--gray-8)',
  downloading: 'var(--accent-9)',
  verifying: 'var(--accent-9)',
  paused: 'var(--amber-9)',
  stalled: 'var(--orange-9)',
  waiting: 'var(--gray-9)',
  error: 'var(--red-9)',
  done: 'var(--green-9)',
};

const textColor = {
  queued: 'gray',
  downloading: undefined,
  verifying: undefined,
  paused: 'amber',
  stalled: 'orange',
  waiting: 'gray',
  error: 'red',
  done: 'green',
} as const satisfies Record<VisualState, string | undefined>;

/** Maps a job to ProgressBar props; `stalled` comes from the host (see ProgressBarProps). */
export function progressPropsFromJob(job: JobSnapshot, stalled = false): ProgressBarProps {
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
              : 'queued';
  return {
    status,
    stalled,
    waiting: Boolean(job.waitingFor),
    percent: job.bytesTotal === null ? null : job.progress,
    bytesDownloaded: job.bytesDownloaded,
    bytesTotal: job.bytesTotal,
    speed: job.speed,
    eta: job.eta,
    currentFile: job.waitingFor || job.currentFile,
  };
}

export function ProgressBar(props: ProgressBarProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const labelId = useId();
  const status = props.status ?? 'downloading';
  const visual: VisualState =
    status === 'downloading' && props.waiting ? 'waiting' : status === 'downloading' && props.stalled ? 'stalled' : status;
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
  const range = formatBytesRange(done, total, locale);
  const valueText = indeterminate ? range : m.progress.valueText(formatPercent(clamped, locale), range);
  const ariaValueText = visual === 'downloading' ? valueText : m.progress.withState(stateLabel, valueText);
  const showSpeed = (visual === 'downloading' || visual === 'stalled') && typeof props.speed === 'number';
  const waitingNote = visual === 'waiting' ? m.progress.waitingNote : null;
  const showEta = visual === 'downloading' && typeof props.eta === 'number';

  return (
    <Box dir={props.dir ?? m.dir} data-state={visual} className="ph-progress">
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
        data-animated={indeterminate && (visual === 'downloading' || visual === 'verifying') ? '' : undefined}
        style={{ ['--ph-fill' as string]: fillColor[visual] }}
      >
        <div className="ph-progress-fill" style={indeterminate ? undefined : { inlineSize: `${clamped}%` }} />
      </div>
      {!props.compact && (
        <Flex mt="1" gap="3" wrap="wrap">
          <Text size="1" color="gray">
            {total === null && done === 0 ? formatBytes(null, locale) : range}
          </Text>
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
      {!props.compact && waitingNote && (
        <Text as="div" size="1" color="gray" mt="1">
          {waitingNote}
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
