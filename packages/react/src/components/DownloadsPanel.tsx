import type { AvailableModel, FileSnapshot, JobSnapshot } from '@persian-hub/client';
import { Cross2Icon, PauseIcon, PlayIcon } from '@radix-ui/react-icons';
import { Badge, Box, Button, Card, Flex, Heading, Table, Text } from '@radix-ui/themes';
import { useId } from 'react';
import { formatBytes } from '../format/formatBytes.js';
import type { Locale } from '../i18n/Messages.js';
import { describeError } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { ProgressBar, progressPropsFromJob, type ProgressStatus } from './ProgressBar.js';

export interface DownloadsPanelProps {
  readonly jobs: readonly JobSnapshot[];
  /** Used to show catalog names instead of repo ids. */
  readonly models?: readonly AvailableModel[];
  readonly onPause?: (jobId: string) => void;
  readonly onResume?: (jobId: string) => void;
  readonly onCancel?: (jobId: string) => void;
  readonly stalledJobIds?: readonly string[];
  readonly locale?: Locale;
  readonly dir?: 'rtl' | 'ltr';
  /** @default messages.downloads.title */
  readonly title?: string;
}

const statusColor = {
  queued: 'gray',
  resolving: 'gray',
  downloading: 'blue',
  verifying: 'blue',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
  paused: 'amber',
} as const satisfies Record<JobSnapshot['status'], string>;

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

function JobRow(props: DownloadsPanelProps & { job: JobSnapshot; locale: Locale }) {
  const { job, locale } = props;
  const m = getMessages(locale);
  const headingId = useId();
  const model = props.models?.find((x) => x.id === job.catalogId);
  const active = job.status === 'queued' || job.status === 'resolving' || job.status === 'downloading';
  const error = job.status === 'failed' && job.error ? describeError(job.error, locale, { repoId: job.repoId }) : null;
  return (
    <Card asChild size="2">
      <section aria-labelledby={headingId} data-job-id={job.id}>
        <Flex direction="column" gap="3">
          <Flex gap="2" align="center" wrap="wrap" justify="between">
            <Flex gap="2" align="center" wrap="wrap" minWidth="0">
              <Heading as="h3" size="3" id={headingId}>
                {model ? model.name[locale] : <bdi dir="ltr" className="ph-ltr">{job.repoId}</bdi>}
              </Heading>
              <Badge color={statusColor[job.status]} variant="soft">
                {m.downloads.jobStatus[job.status]}
              </Badge>
            </Flex>
            <Flex gap="2">
              {active && props.onPause && (
                <Button type="button" size="1" variant="soft" onClick={() => props.onPause?.(job.id)}>
                  <PauseIcon aria-hidden />
                  {m.actions.pause}
                </Button>
              )}
              {job.status === 'paused' && props.onResume && (
                <Button type="button" size="1" onClick={() => props.onResume?.(job.id)}>
                  <PlayIcon aria-hidden />
                  {m.actions.resume}
                </Button>
              )}
              {(active || job.status === 'paused' || job.status === 'verifying') && props.onCancel && (
                <Button type="button" size="1" variant="soft" color="gray" onClick={() => props.onCancel?.(job.id)}>
                  <Cross2Icon aria-hidden />
                  {m.actions.cancel}
                </Button>
              )}
            </Flex>
          </Flex>
          <ProgressBar
            {...progressPropsFromJob(job, props.stalledJobIds?.includes(job.id) ?? false)}
            locale={locale}
          />
          {error && (
            <Text size="2" color="red" role="alert">
              {error.title}: {error.description}
            </Text>
          )}
          {job.files.length > 0 && (
            <Table.Root size="1" variant="ghost">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeaderCell>{m.downloads.file}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>{m.downloads.size}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell>{m.downloads.status}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell width="30%">{m.downloads.progress}</Table.ColumnHeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {job.files.map((file) => (
                  <Table.Row key={file.path} data-file={file.path}>
                    <Table.RowHeaderCell>
                      <bdi dir="ltr" className="ph-ltr">
                        {file.path}
                      </bdi>
                    </Table.RowHeaderCell>
                    <Table.Cell>
                      <Text wrap="nowrap">{formatBytes(file.size, locale)}</Text>
                    </Table.Cell>
                    <Table.Cell>
                      <Text wrap="nowrap">{m.downloads.fileStatus[file.status]}</Text>
                    </Table.Cell>
                    <Table.Cell>
                      <ProgressBar
                        compact
                        locale={locale}
                        label={file.path}
                        status={fileProgressStatus(file)}
                        bytesDownloaded={file.bytesDownloaded}
                        bytesTotal={file.size}
                      />
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          )}
        </Flex>
      </section>
    </Card>
  );
}

/** Every job with its files: the "downloads" drawer or page. */
export function DownloadsPanel(props: DownloadsPanelProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  return (
    <Box dir={props.dir ?? m.dir} data-locale={locale}>
      <PersianHubStyles />
      <Heading as="h2" size="5" mb="3">
        {props.title ?? m.downloads.title}
      </Heading>
      {props.jobs.length === 0 ? (
        <Text color="gray">{m.downloads.empty}</Text>
      ) : (
        <Flex direction="column" gap="3">
          {props.jobs.map((job) => (
            <JobRow key={job.id} {...props} job={job} locale={locale} />
          ))}
        </Flex>
      )}
    </Box>
  );
}
