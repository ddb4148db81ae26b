import type { AvailableModel, FileSnapshot, JobSnapshot } from '@persian-hub/client';
import { PauseIcon, PlayIcon } from '@radix-ui/react-icons';
import { Badge, Box, Button, Card, Flex, Heading, Text, VisuallyHidden } from '@radix-ui/themes';
import { memo, useCallback, useId, useMemo, useState } from 'react';
import { formatBytes } from '../format/formatBytes.js';
import { formatNumber } from '../format/formatNumber.js';
import type { Locale, Messages } from '../i18n/Messages.js';
import { describeError } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { isJobActive, isJobStalled, jobPhase, type JobPhase } from './jobPhase.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { ProgressBar, progressPropsFromJob, type ProgressStatus } from './ProgressBar.js';

export interface DownloadsPanelProps {
  readonly jobs: readonly JobSnapshot[];
  /** Used to show catalog names instead of repo ids, and the expected size while a job prepares. */
  readonly models?: readonly AvailableModel[];
  readonly onPause?: (jobId: string) => void;
  readonly onResume?: (jobId: string) => void;
  /** Called once the person confirmed (see `confirmDestructive`). */
  readonly onCancel?: (jobId: string) => void;
  /**
   * Asked when a job's file list is opened: events carry only the files that changed, so the
   * host fetches the whole job once (`store.loadJobFiles`). Without it, rows show what the job carries.
   */
  readonly onLoadFiles?: (jobId: string) => unknown;
  /** Offered after a failure the Hub caused (BLOCKED, NETWORK, STALLED). */
  readonly onPickBundle?: () => void;
  /** Job ids that received nothing for a while. @default derived from each job */
  readonly stalledJobIds?: readonly string[];
  /** Ask before Cancel, which deletes what was downloaded. @default true */
  readonly confirmDestructive?: boolean;
  readonly locale?: Locale;
  readonly dir?: 'rtl' | 'ltr';
  /** @default messages.downloads.title */
  readonly title?: string;
  /** Level of the panel's title; job titles are one below. @default 2 */
  readonly headingLevel?: 2 | 3;
}

/** A job with thousands of files shows this many rows; the rest are counted. */
const MAX_FILE_ROWS = 200;

const phaseColor = {
  queued: 'gray',
  preparing: 'gray',
  downloading: 'blue',
  stalled: 'orange',
  waiting: 'gray',
  retrying: 'amber',
  verifying: 'blue',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
  paused: 'amber',
} as const satisfies Record<JobPhase, string>;

function phaseLabel(phase: JobPhase, m: Messages): string {
  switch (phase) {
    case 'preparing':
      return m.downloads.jobStatus.resolving;
    case 'stalled':
    case 'waiting':
    case 'retrying':
      return m.progress.states[phase];
    default:
      return m.downloads.jobStatus[phase];
  }
}

function fileProgressStatus(file: FileSnapshot): ProgressStatus {
  switch (file.status) {
    case 'completed':
    case 'cached':
      return 'done';
    case 'failed':
      return 'error';
    case 'verifying':
      return 'verifying';
    case 'downloading':
      return 'downloading';
    default:
      return 'queued';
  }
}

// A plain table: Radix's Table wraps itself in a ScrollArea, 13 KB of script for one list of files.
function FileRows({ job, m, locale }: { job: JobSnapshot; m: Messages; locale: Locale }) {
  const shown = job.files.slice(0, MAX_FILE_ROWS);
  const more = (job.fileCount ?? job.files.length) - shown.length;
  return (
    <>
      <div className="ph-table-scroll">
        <table className="ph-files">
          <thead>
            <tr>
              <th scope="col">{m.downloads.file}</th>
              <th scope="col">{m.downloads.size}</th>
              <th scope="col">{m.downloads.status}</th>
              <th scope="col" style={{ inlineSize: '30%' }}>
                {m.downloads.progress}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((file) => (
              <tr key={file.path} data-file={file.path}>
                <th scope="row">
                  <bdi dir="ltr" className="ph-ltr">
                    {file.path}
                  </bdi>
                </th>
                <td>{formatBytes(file.size, locale)}</td>
                <td>{m.downloads.fileStatus[file.status]}</td>
                <td>
                  <ProgressBar compact locale={locale} label={file.path} status={fileProgressStatus(file)} bytesDownloaded={file.bytesDownloaded} bytesTotal={file.size} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more > 0 && (
        <Text as="p" size="1" color="gray">
          {m.downloads.moreFiles(formatNumber(more, locale))}
        </Text>
      )}
    </>
  );
}

interface JobRowProps {
  readonly job: JobSnapshot;
  readonly model: AvailableModel | undefined;
  readonly locale: Locale;
  readonly stalled: boolean | undefined;
  readonly confirm: boolean;
  readonly headingLevel: 3 | 4;
  readonly onPause?: (jobId: string) => void;
  readonly onResume?: (jobId: string) => void;
  readonly onCancel?: (jobId: string) => void;
  readonly onLoadFiles?: (jobId: string) => unknown;
  readonly onPickBundle?: () => void;
}

const JobRow = memo(function JobRow(props: JobRowProps) {
  const { job, locale, model } = props;
  const m = getMessages(locale);
  const headingId = useId();
  const filesId = useId();
  const [filesOpen, setFilesOpen] = useState(false);
  const [loadingFiles, setLoadingFiles] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const stalled = props.stalled ?? isJobStalled(job);
  const phase = jobPhase(job, stalled);
  const active = job.status === 'queued' || job.status === 'resolving' || job.status === 'downloading';
  const error = job.status === 'failed' && job.error ? describeError(job.error, locale, { repoId: job.repoId }) : null;
  const name = model ? model.name[locale] : job.repoId;
  const fileCount = job.fileCount ?? job.files.length;
  const Title = `h${props.headingLevel}` as 'h3';
  const closeDialog = useCallback(() => setConfirming(false), []);

  const toggleFiles = () => {
    const next = !filesOpen;
    setFilesOpen(next);
    if (next && props.onLoadFiles && job.fileDetail !== 'all') {
      setLoadingFiles(true);
      Promise.resolve(props.onLoadFiles(job.id))
        .catch(() => undefined)
        .finally(() => setLoadingFiles(false));
    }
  };
  const hidden = (
    <>
      {' '}
      <VisuallyHidden>{name}</VisuallyHidden>
    </>
  );

  return (
    <Card asChild size="2">
      {/* An article, not a section: a labelled section is a landmark, and two jobs of one model would be two landmarks of one name. */}
      <article aria-labelledby={headingId} data-job-id={job.id} data-phase={phase}>
        <Flex direction="column" gap="3">
          <Flex gap="2" align="center" wrap="wrap" justify="between">
            <Flex gap="2" align="center" wrap="wrap" minWidth="0">
              <Heading as={Title} size="3" id={headingId}>
                {model ? name : <bdi dir="ltr" className="ph-ltr">{job.repoId}</bdi>}
              </Heading>
              <Badge color={phaseColor[phase]} variant="soft">
                {phaseLabel(phase, m)}
              </Badge>
            </Flex>
            <Flex gap="2" wrap="wrap">
              {active && props.onPause && (
                <Button type="button" size="2" variant="soft" highContrast onClick={() => props.onPause?.(job.id)} data-action="pause">
                  <PauseIcon aria-hidden />
                  {m.actions.pause}
                  {hidden}
                </Button>
              )}
              {job.status === 'paused' && props.onResume && (
                <Button type="button" size="2" highContrast onClick={() => props.onResume?.(job.id)} data-action="resume">
                  <PlayIcon aria-hidden />
                  {m.actions.resume}
                  {hidden}
                </Button>
              )}
              {(isJobActive(job) || job.status === 'paused') && props.onCancel && (
                <Button
                  type="button"
                  size="2"
                  variant="ghost"
                  color="gray"
                  onClick={() => (props.confirm ? setConfirming(true) : props.onCancel?.(job.id))}
                  data-action="cancel"
                >
                  {m.actions.cancel}
                  {hidden}
                </Button>
              )}
            </Flex>
          </Flex>
          {job.status !== 'failed' && job.status !== 'cancelled' && (
            <ProgressBar {...progressPropsFromJob(job, stalled, model?.sizeBytes ?? null)} locale={locale} />
          )}
          {error && (
            <Box role="alert">
              <Text as="p" size="2" color="red" weight="medium">
                {error.title}
              </Text>
              <Text as="p" size="2" color="red">
                {error.description}
              </Text>
              {error.action === 'importBundle' && props.onPickBundle && (
                <Button type="button" size="2" variant="soft" color="red" highContrast mt="2" onClick={props.onPickBundle} data-action="importBundle">
                  {m.actions.importBundle}
                </Button>
              )}
            </Box>
          )}
          {fileCount > 0 && (
            <Box>
              <Button type="button" size="1" variant="ghost" aria-expanded={filesOpen} aria-controls={filesId} onClick={toggleFiles} data-action="files">
                {filesOpen ? m.downloads.hideFiles : m.downloads.showFiles(formatNumber(fileCount, locale))}
                {hidden}
              </Button>
              <Box id={filesId} hidden={!filesOpen} mt="2">
                {filesOpen && (loadingFiles && job.files.length === 0 ? <Text size="1" color="gray">{m.downloads.loadingFiles}</Text> : <FileRows job={job} m={m} locale={locale} />)}
              </Box>
            </Box>
          )}
        </Flex>
        {confirming && (
          <ConfirmDialog
            open
            title={m.confirm.cancelTitle(name)}
            description={m.confirm.cancelBody(job.bytesDownloaded > 0 ? formatBytes(job.bytesDownloaded, locale) : null)}
            confirmLabel={m.confirm.cancelConfirm}
            cancelLabel={m.confirm.cancelKeep}
            onCancel={closeDialog}
            onConfirm={() => {
              setConfirming(false);
              props.onCancel?.(job.id);
            }}
          />
        )}
      </article>
    </Card>
  );
});

const ORDER: Record<JobSnapshot['status'], number> = { downloading: 0, resolving: 0, verifying: 0, queued: 1, paused: 2, failed: 3, cancelled: 4, completed: 5 };

/**
 * Every job with its state, its actions and, on demand, its files: the downloads drawer or page.
 * Running jobs first, then queued, paused, failed and finished ones; each row renders again only
 * when its own job changes.
 */
export function DownloadsPanel(props: DownloadsPanelProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const byId = useMemo(() => new Map((props.models ?? []).map((x) => [x.id, x])), [props.models]);
  const stalled = useMemo(() => (props.stalledJobIds ? new Set(props.stalledJobIds) : null), [props.stalledJobIds]);
  const jobs = useMemo(() => [...props.jobs].sort((a, b) => ORDER[a.status] - ORDER[b.status]), [props.jobs]);
  const level = props.headingLevel ?? 2;
  const Title = `h${level}` as 'h2';
  return (
    <Box dir={props.dir ?? m.dir} data-locale={locale} className="ph-root" data-testid="downloads-panel">
      <PersianHubStyles />
      <Heading as={Title} size="5" mb="3">
        {props.title ?? m.downloads.title}
      </Heading>
      {jobs.length === 0 ? (
        <Text color="gray">{m.downloads.empty}</Text>
      ) : (
        <Flex direction="column" gap="3">
          {jobs.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              model={job.catalogId ? byId.get(job.catalogId) : undefined}
              locale={locale}
              stalled={stalled ? stalled.has(job.id) : undefined}
              confirm={props.confirmDestructive ?? true}
              headingLevel={level === 2 ? 3 : 4}
              onPause={props.onPause}
              onResume={props.onResume}
              onCancel={props.onCancel}
              onLoadFiles={props.onLoadFiles}
              onPickBundle={props.onPickBundle}
            />
          ))}
        </Flex>
      )}
    </Box>
  );
}
