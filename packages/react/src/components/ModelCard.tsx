import type { AvailableModel, JobSnapshot } from '@persian-hub/client';
import {
  ArchiveIcon,
  CheckCircledIcon,
  Cross2Icon,
  DownloadIcon,
  ExclamationTriangleIcon,
  ExternalLinkIcon,
  LockClosedIcon,
  PauseIcon,
  PlayIcon,
  ReloadIcon,
  TrashIcon,
} from '@radix-ui/react-icons';
import { Badge, Box, Button, Callout, Card, Code, Flex, Heading, Link, Text, VisuallyHidden } from '@radix-ui/themes';
import { useId, type ReactNode } from 'react';
import { formatBytes } from '../format/formatBytes.js';
import type { Locale } from '../i18n/Messages.js';
import { describeError } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { DEFAULT_ENDPOINT, hubRepoUrl } from './hubUrl.js';
import { KindIcon } from './KindIcon.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { ProgressBar, progressPropsFromJob } from './ProgressBar.js';

export type ModelCardAction = 'download' | 'pause' | 'resume' | 'cancel' | 'remove' | 'openFolder';

/** What a card reports. A button whose callback is absent is not shown. */
export interface ModelCardCallbacks {
  /** Catalog id. Also used for Retry after a failure and Download again after a cancel. */
  readonly onDownload?: (id: string) => void;
  readonly onPause?: (jobId: string) => void;
  readonly onResume?: (jobId: string) => void;
  readonly onCancel?: (jobId: string) => void;
  /** Catalog id of the installed model. */
  readonly onRemove?: (id: string) => void;
  /** Only hosts that can open a folder (desktop shells, local tools) pass this. */
  readonly onOpenFolder?: (id: string, path: string | null) => void;
}

export interface ModelCardProps extends ModelCardCallbacks {
  readonly model: AvailableModel;
  readonly locale?: Locale;
  /** @default the locale's direction */
  readonly dir?: 'rtl' | 'ltr';
  /** Hub (or mirror) base URL for the "View on Hugging Face" link. @default 'https://huggingface.co' */
  readonly endpoint?: string;
  /** The action the host is performing right now: its button spins, the others wait. */
  readonly pendingAction?: ModelCardAction | null;
  /** Disables every action (e.g. while offline). @default false */
  readonly disabled?: boolean;
  /** The active job has received nothing for a while (see ProgressBarProps.stalled). */
  readonly stalled?: boolean;
}

const ACTIVE = new Set<JobSnapshot['status']>(['queued', 'resolving', 'downloading', 'verifying']);

/** The actions a model offers in its current state, in display order. */
export function availableActions(model: AvailableModel): ModelCardAction[] {
  const status = model.job?.status;
  if (status !== undefined && ACTIVE.has(status)) {
    return status === 'verifying' ? ['cancel'] : ['pause', 'cancel'];
  }
  if (status === 'paused') return ['resume', 'cancel'];
  const installed = model.installed !== null || status === 'completed';
  if (installed) return ['openFolder', 'remove'];
  return ['download'];
}

export function ModelCard(props: ModelCardProps) {
  const { model } = props;
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const titleId = useId();
  const job = model.job;
  const endpoint = props.endpoint ?? DEFAULT_ENDPOINT;
  const repoUrl = hubRepoUrl(model.repoId, model.repoType, endpoint);
  const installed = model.installed !== null || job?.status === 'completed';
  const showProgress = job !== null && (ACTIVE.has(job.status) || job.status === 'paused');
  const failed = job?.status === 'failed';
  const cancelled = job?.status === 'cancelled';
  const error = failed && job.error ? describeError(job.error, locale, { repoId: model.repoId }) : null;
  const needsTerms = error?.code === 'GATED_REPO' || error?.code === 'UNAUTHORIZED';
  const pending = props.pendingAction ?? null;

  const button = (
    action: ModelCardAction,
    label: string,
    icon: ReactNode,
    onClick: (() => void) | null | undefined,
    variant: 'solid' | 'soft' | 'outline' = 'soft',
    color?: 'red' | 'gray',
  ) => {
    if (!onClick) return null;
    const loading = pending === action;
    return (
      <Button
        key={action}
        type="button"
        size="2"
        variant={variant}
        color={color}
        loading={loading}
        aria-busy={loading || undefined}
        disabled={props.disabled || pending !== null}
        data-action={action}
        onClick={onClick}
      >
        {icon}
        {label}
      </Button>
    );
  };

  const actions = availableActions(model).map((action) => {
    switch (action) {
      case 'download':
        return button(
          'download',
          failed ? m.actions.retry : cancelled ? m.actions.downloadAgain : m.actions.download,
          failed ? <ReloadIcon aria-hidden /> : <DownloadIcon aria-hidden />,
          props.onDownload && (() => props.onDownload?.(model.id)),
          'solid',
        );
      case 'pause':
        return button('pause', m.actions.pause, <PauseIcon aria-hidden />, job && props.onPause && (() => props.onPause?.(job.id)));
      case 'resume':
        return button(
          'resume',
          m.actions.resume,
          <PlayIcon aria-hidden />,
          job && props.onResume && (() => props.onResume?.(job.id)),
          'solid',
        );
      case 'cancel':
        return button(
          'cancel',
          m.actions.cancel,
          <Cross2Icon aria-hidden />,
          job && props.onCancel && (() => props.onCancel?.(job.id)),
          'soft',
          'gray',
        );
      case 'remove':
        return button(
          'remove',
          m.actions.remove,
          <TrashIcon aria-hidden />,
          props.onRemove && (() => props.onRemove?.(model.id)),
          'soft',
          'red',
        );
      case 'openFolder':
        return button(
          'openFolder',
          m.actions.openFolder,
          <ArchiveIcon aria-hidden />,
          props.onOpenFolder && (() => props.onOpenFolder?.(model.id, model.installed?.path ?? job?.path ?? null)),
        );
    }
  });

  return (
    // Full height so cards in one grid row line up and their actions sit on one baseline.
    <Card asChild size="2" style={{ blockSize: '100%' }}>
      <article aria-labelledby={titleId} dir={props.dir ?? m.dir} data-kind={model.kind} data-model-id={model.id}>
        <PersianHubStyles />
        <Flex direction="column" gap="3" height="100%">
          <Flex gap="3" align="start">
            <Flex
              align="center"
              justify="center"
              flexShrink="0"
              width="40px"
              height="40px"
              style={{ borderRadius: 'var(--radius-3)', background: 'var(--accent-a3)', color: 'var(--accent-11)' }}
            >
              <KindIcon kind={model.kind} />
            </Flex>
            <Box flexGrow="1" minWidth="0">
              <Flex gap="2" align="center" wrap="wrap">
                <Heading as="h3" size="3" id={titleId}>
                  {model.name[locale]}
                </Heading>
                {installed && (
                  <Badge color="green" variant="soft">
                    <CheckCircledIcon aria-hidden />
                    {m.card.installed}
                  </Badge>
                )}
              </Flex>
              <Text as="div" size="1" color="gray">
                <bdi dir="ltr" className="ph-ltr">
                  {model.repoId}
                </bdi>
              </Text>
              <Text as="div" size="1" color="gray">
                {m.card.provider(model.provider)}
              </Text>
            </Box>
          </Flex>

          <Text as="p" size="2">
            {model.description[locale]}
          </Text>

          <Flex gap="2" wrap="wrap" align="center">
            <Badge variant="soft" color="gray">
              {m.kinds[model.kind]}
            </Badge>
            <Badge variant="soft" color="gray">
              {m.card.size}: {formatBytes(model.sizeBytes, locale)}
            </Badge>
            <Badge variant="soft" color="gray">
              {m.card.license}:{' '}
              <bdi dir="ltr" className="ph-ltr">
                {model.license}
              </bdi>
            </Badge>
            {!model.commercialUse && (
              <Badge color="orange" variant="solid" title={m.card.nonCommercialHint} data-testid="non-commercial">
                <ExclamationTriangleIcon aria-hidden />
                {m.card.nonCommercial}
                <VisuallyHidden>{`: ${m.card.nonCommercialHint}`}</VisuallyHidden>
              </Badge>
            )}
            {model.gated && (
              <Badge color="amber" variant="soft" title={m.card.gatedHint} data-testid="gated">
                <LockClosedIcon aria-hidden />
                {m.card.gated}
              </Badge>
            )}
          </Flex>

          {model.tags.length > 0 && (
            <Flex gap="1" wrap="wrap" aria-label={m.card.tags} role="list">
              {model.tags.map((tag) => (
                <Badge key={tag} role="listitem" size="1" variant="outline" color="gray" radius="full">
                  <bdi>{tag}</bdi>
                </Badge>
              ))}
            </Flex>
          )}

          {model.notes && (
            <Text as="p" size="1" color="gray">
              {model.notes[locale]}
            </Text>
          )}

          {showProgress && job && <ProgressBar {...progressPropsFromJob(job, props.stalled)} locale={locale} />}

          {cancelled && (
            <Text size="1" color="gray">
              {m.card.cancelled}
            </Text>
          )}

          {error && (
            <Callout.Root color="red" role="alert" size="1" data-error-code={error.code ?? undefined}>
              <Callout.Icon>
                <ExclamationTriangleIcon />
              </Callout.Icon>
              <Flex direction="column" gap="1">
                <Text as="p" size="2" weight="bold">
                  {error.title}
                </Text>
                <Callout.Text>{error.description}</Callout.Text>
                {needsTerms && (
                  <Link href={repoUrl} target="_blank" rel="noopener noreferrer" size="2" weight="medium" color="red" underline="always">
                    {m.card.openRepoPage}
                    <VisuallyHidden>{` ${m.actions.opensInNewTab}`}</VisuallyHidden>
                  </Link>
                )}
                <details className="ph-details">
                  <Text as="span" size="1" asChild>
                    <summary>{m.card.technicalDetails}</summary>
                  </Text>
                  <Code size="1" variant="ghost" color="gray" style={{ display: 'block', marginBlockStart: 4 }}>
                    <bdi dir="ltr" className="ph-ltr">
                      {error.code ? `${error.code}: ` : ''}
                      {error.technical}
                    </bdi>
                  </Code>
                </details>
              </Flex>
            </Callout.Root>
          )}

          <Flex gap="2" wrap="wrap" align="center" mt="auto">
            {actions}
            <Button asChild size="2" variant="ghost" color="gray">
              <a href={repoUrl} target="_blank" rel="noopener noreferrer" data-action="viewOnHub">
                {m.actions.viewOnHub}
                <ExternalLinkIcon aria-hidden />
                <VisuallyHidden>{m.actions.opensInNewTab}</VisuallyHidden>
              </a>
            </Button>
          </Flex>
        </Flex>
      </article>
    </Card>
  );
}
