import type { AvailableModel, ServerCapabilities } from '@persian-hub/client';
import {
  CheckCircledIcon,
  DownloadIcon,
  ExclamationTriangleIcon,
  ExternalLinkIcon,
  LockClosedIcon,
  PauseIcon,
  PlayIcon,
  ReloadIcon,
  UploadIcon,
} from '@radix-ui/react-icons';
import { Badge, Box, Button, Callout, Card, Code, Flex, Heading, Link, Text, VisuallyHidden } from '@radix-ui/themes';
import { memo, useCallback, useId, useState, type ReactNode } from 'react';
import { formatBytes } from '../format/formatBytes.js';
import type { Locale, Messages } from '../i18n/Messages.js';
import { describeError, type DescribedError } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { DEFAULT_ENDPOINT, hubRepoUrl } from './hubUrl.js';
import { isJobActive } from './jobPhase.js';
import { KindIcon } from './KindIcon.js';
import { modelFacts, tagsFor, type CommercialUse } from './modelFacts.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { ProgressBar, progressPropsFromJob } from './ProgressBar.js';

export type ModelCardAction = 'download' | 'pause' | 'resume' | 'cancel' | 'remove' | 'openFolder';

/** What a card reports. A button whose callback is absent is not shown. */
export interface ModelCardCallbacks {
  /** Catalog id. Also used for Retry after a failure and Download again after a cancel. */
  readonly onDownload?: (id: string) => void;
  readonly onPause?: (jobId: string) => void;
  readonly onResume?: (jobId: string) => void;
  /** Called once the person confirmed (see `confirmDestructive`): the partial bytes are deleted. */
  readonly onCancel?: (jobId: string) => void;
  /** Catalog id of the installed model; called once the person confirmed. */
  readonly onRemove?: (id: string) => void;
  /** Only hosts that can open a folder (desktop shells, local tools) pass this. */
  readonly onOpenFolder?: (id: string, path: string | null) => void;
  /**
   * Opens the offline-bundle picker. Offered as the next step when the Hub cannot be reached
   * from the server (BLOCKED, NETWORK, STALLED). Leave it out when the server takes no uploads.
   */
  readonly onPickBundle?: () => void;
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
  /** The active job has received nothing for a while. @default derived from the job (speed 0 with bytes in) */
  readonly stalled?: boolean;
  /** What the server offers: beside a gated model the card says whether it can download it at all. */
  readonly capabilities?: ServerCapabilities | null;
  /**
   * Ask before Cancel (which deletes the bytes downloaded so far) and Remove, in a dialog that
   * says how much is lost. @default true
   */
  readonly confirmDestructive?: boolean;
  /** Level of the card's title. @default 3 */
  readonly headingLevel?: 2 | 3 | 4;
}

/** The actions a model offers in its current state, in display order (the main one first). */
export function availableActions(model: AvailableModel): ModelCardAction[] {
  const status = model.job?.status;
  if (isJobActive(model.job)) return status === 'verifying' ? ['cancel'] : ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  const installed = model.installed !== null || status === 'completed';
  if (installed) return ['openFolder', 'remove'];
  return ['download'];
}

const commercialColor: Record<CommercialUse, 'green' | 'red' | 'gray'> = { yes: 'green', no: 'red', unclear: 'gray' };

function FactsImpl({ model, m, locale }: { model: AvailableModel; m: Messages; locale: Locale }) {
  const facts = modelFacts(model);
  const chip = (key: string, content: ReactNode, extra: { color?: 'gray' | 'green' | 'red' | 'amber' | 'orange'; title?: string; testId?: string } = {}) => (
    <li key={key}>
      <Badge variant="soft" color={extra.color ?? 'gray'} title={extra.title} data-testid={extra.testId}>
        {/* One span: the badge is a flex box with a gap, which would split «Licence: MIT» apart. */}
        <span>
          {content}
          {extra.title && <VisuallyHidden>{`: ${extra.title}`}</VisuallyHidden>}
        </span>
      </Badge>
    </li>
  );
  const hint = { yes: m.card.commercial.hintYes, no: m.card.commercial.hintNo, unclear: m.card.commercial.hintUnclear }[facts.commercial];
  return (
    <ul className="ph-chips" aria-label={m.card.facts}>
      {chip('kind', m.kinds[model.kind])}
      {chip('size', formatBytes(model.sizeBytes, locale))}
      {chip(
        'license',
        <>
          {m.card.license}:{' '}
          {facts.license ? (
            <bdi dir="ltr" className="ph-ltr">
              {facts.license}
            </bdi>
          ) : (
            m.card.licenseUnknown
          )}
        </>,
      )}
      {chip('commercial', m.card.commercial[facts.commercial], { color: commercialColor[facts.commercial], title: hint, testId: 'commercial-use' })}
      {facts.formats.map((f) => chip(`format-${f}`, <bdi dir="ltr">{m.card.format(f)}</bdi>))}
      {facts.runtimes.map((r) => chip(`runtime-${r}`, m.card.runtime(r)))}
      {facts.memoryBytes !== null && chip('memory', m.card.memory(formatBytes(facts.memoryBytes, locale)), { title: m.card.memoryHint })}
      {facts.pickle &&
        chip(
          'pickle',
          <>
            <ExclamationTriangleIcon aria-hidden style={{ verticalAlign: '-2px', marginInlineEnd: 4 }} />
            {m.card.pickle}
          </>,
          { color: 'orange', title: m.card.pickleHint, testId: 'pickle' },
        )}
      {model.gated &&
        chip(
          'gated',
          <>
            <LockClosedIcon aria-hidden style={{ verticalAlign: '-2px', marginInlineEnd: 4 }} />
            {m.card.gated}
          </>,
          { color: 'amber', testId: 'gated' },
        )}
    </ul>
  );
}

function MoreImpl({ model, m, locale, repoUrl }: { model: AvailableModel; m: Messages; locale: Locale; repoUrl: string }) {
  const tags = tagsFor(model.tags, locale);
  return (
    <details className="ph-details ph-more">
      <Text as="span" size="1" color="gray" asChild>
        <summary>{m.card.more}</summary>
      </Text>
      <Flex direction="column" gap="2" mt="2">
        {model.notes && (
          <Box>
            <Text as="div" size="1" weight="bold">
              {m.card.notes}
            </Text>
            <Text as="p" size="1" color="gray">
              {model.notes[locale]}
            </Text>
          </Box>
        )}
        {tags.length > 0 && (
          <Box>
            <Text as="div" size="1" weight="bold">
              {m.card.tags}
            </Text>
            <Text as="p" size="1" color="gray">
              {tags.map((tag, i) => (
                <span key={tag}>
                  {i > 0 ? (locale === 'fa' ? '، ' : ', ') : ''}
                  <bdi>{tag}</bdi>
                </span>
              ))}
            </Text>
          </Box>
        )}
        <Box>
          <Text as="div" size="1" weight="bold">
            {m.card.files}
          </Text>
          <Text as="div" size="1" color="gray">
            {model.include.length === 0 ? (
              m.card.wholeRepo
            ) : (
              <bdi dir="ltr" className="ph-ltr">
                {model.include.join('  ')}
              </bdi>
            )}
            {model.exclude.length > 0 && (
              <>
                {' '}
                {m.card.excluded}{' '}
                <bdi dir="ltr" className="ph-ltr">
                  {model.exclude.join('  ')}
                </bdi>
              </>
            )}
          </Text>
        </Box>
        <Link href={repoUrl} target="_blank" rel="noopener noreferrer" size="1" data-action="viewOnHub">
          {m.actions.viewOnHub}
          {' '}<VisuallyHidden>{m.actions.opensInNewTab}</VisuallyHidden>
          <ExternalLinkIcon aria-hidden style={{ marginInlineStart: 4, verticalAlign: 'middle' }} />
        </Link>
      </Flex>
    </details>
  );
}

/**
 * Props equal but for the entry's `job`: the chips and the folded details describe the catalog
 * entry, which a progress tick does not change. Without this, ten downloads at 4 Hz re-rendered
 * every chip and the file table of their cards 40 times a second.
 */
function sameEntryProps<P extends { model: AvailableModel }>(prev: P, next: P): boolean {
  for (const key of Object.keys(next) as (keyof P)[]) {
    if (key !== 'model' && prev[key] !== next[key]) return false;
  }
  if (prev.model === next.model) return true;
  for (const key of Object.keys(next.model) as (keyof AvailableModel)[]) {
    if (key !== 'job' && prev.model[key] !== next.model[key]) return false;
  }
  return Object.keys(prev.model).length === Object.keys(next.model).length;
}
const Facts = memo(FactsImpl, sameEntryProps);
const More = memo(MoreImpl, sameEntryProps);

function ErrorBox(props: { error: DescribedError; m: Messages; repoUrl: string; onPickBundle?: () => void; tokenNote: string | null }) {
  const { error, m } = props;
  return (
    <Callout.Root color="red" role="alert" size="1" data-error-code={error.code ?? undefined}>
      <Callout.Icon>
        <ExclamationTriangleIcon />
      </Callout.Icon>
      <Flex direction="column" gap="1" align="start">
        <Text as="p" size="2" weight="bold">
          {error.title}
        </Text>
        <Callout.Text>{error.description}</Callout.Text>
        {props.tokenNote && <Callout.Text>{props.tokenNote}</Callout.Text>}
        {error.action === 'requestAccess' && (
          <Link href={props.repoUrl} target="_blank" rel="noopener noreferrer" size="2" weight="medium" color="red" underline="always">
            {m.actions.requestAccess}
            {' '}<VisuallyHidden>{m.actions.opensInNewTab}</VisuallyHidden>
          </Link>
        )}
        {error.action === 'importBundle' && props.onPickBundle && (
          <Button type="button" size="2" variant="soft" color="red" highContrast onClick={props.onPickBundle} data-action="importBundle">
            <UploadIcon aria-hidden />
            {m.actions.importBundle}
          </Button>
        )}
        <details className="ph-details">
          <Text as="span" size="1" asChild>
            <summary>{m.card.technicalDetails}</summary>
          </Text>
          {error.admin && (
            <Text as="p" size="1" mt="1">
              {m.card.forAdmin}: {error.admin}
            </Text>
          )}
          <Code size="1" variant="ghost" color="gray" style={{ display: 'block', marginBlockStart: 4 }}>
            <bdi dir="ltr" className="ph-ltr">
              {error.code ? `${error.code}: ` : ''}
              {error.technical}
            </bdi>
          </Code>
        </details>
      </Flex>
    </Callout.Root>
  );
}

function ModelCardImpl(props: ModelCardProps) {
  const { model } = props;
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const titleId = useId();
  const [confirming, setConfirming] = useState<'cancel' | 'remove' | null>(null);
  const job = model.job;
  const endpoint = props.endpoint ?? DEFAULT_ENDPOINT;
  const repoUrl = hubRepoUrl(model.repoId, model.repoType, endpoint);
  const installed = model.installed !== null || job?.status === 'completed';
  const showProgress = job !== null && (isJobActive(job) || job.status === 'paused');
  const failed = job?.status === 'failed';
  const cancelled = job?.status === 'cancelled';
  const error = failed && job.error ? describeError(job.error, locale, { repoId: model.repoId }) : null;
  const pending = props.pendingAction ?? null;
  const name = model.name[locale];
  const confirm = props.confirmDestructive ?? true;
  const hubToken = props.capabilities?.hubToken;
  const tokenNote = hubToken === false ? m.card.serverNoToken : hubToken === true ? m.card.serverHasToken : null;
  const closeDialog = useCallback(() => setConfirming(null), []);

  const button = (
    action: ModelCardAction,
    label: string,
    icon: ReactNode,
    onClick: (() => void) | null | undefined,
    kind: 'primary' | 'secondary' | 'quiet' | 'danger' = 'secondary',
  ) => {
    if (!onClick) return null;
    const loading = pending === action;
    return (
      <Button
        key={action}
        type="button"
        size="2"
        variant={kind === 'primary' ? 'solid' : kind === 'quiet' ? 'ghost' : 'soft'}
        // White on a Radix step-9 accent is about 3:1 and step-11 text on a soft step-3 teal 4.1:1;
        // high contrast (step 12) is well over the 4.5:1 that text needs, in light and dark.
        highContrast={kind !== 'quiet'}
        color={kind === 'quiet' ? 'gray' : kind === 'danger' ? 'red' : undefined}
        loading={loading}
        aria-busy={loading || undefined}
        disabled={props.disabled || pending !== null}
        data-action={action}
        onClick={onClick}
      >
        {icon}
        {label}
        {/* 18 buttons all named «دانلود» tell a screen reader nothing: each says whose it is. */}
        {' '}
        <VisuallyHidden>{name}</VisuallyHidden>
      </Button>
    );
  };

  const cancelJob = job && props.onCancel ? () => (confirm ? setConfirming('cancel') : props.onCancel?.(job.id)) : null;
  const removeModel = props.onRemove ? () => (confirm ? setConfirming('remove') : props.onRemove?.(model.id)) : null;

  const actions = availableActions(model).map((action) => {
    switch (action) {
      case 'download':
        return button(
          'download',
          failed ? m.actions.retry : cancelled ? m.actions.downloadAgain : m.actions.download,
          failed ? <ReloadIcon aria-hidden /> : <DownloadIcon aria-hidden />,
          props.onDownload && (() => props.onDownload?.(model.id)),
          'primary',
        );
      case 'pause':
        // Pause keeps every byte: it is the main action while downloading, Cancel the quiet one.
        return button('pause', m.actions.pause, <PauseIcon aria-hidden />, job && props.onPause && (() => props.onPause?.(job.id)));
      case 'resume':
        return button('resume', m.actions.resume, <PlayIcon aria-hidden />, job && props.onResume && (() => props.onResume?.(job.id)), 'primary');
      case 'cancel':
        return button('cancel', m.actions.cancel, null, cancelJob, 'quiet');
      case 'remove':
        return button('remove', m.actions.remove, null, removeModel, 'quiet');
      case 'openFolder':
        return button('openFolder', m.actions.openFolder, null, props.onOpenFolder && (() => props.onOpenFolder?.(model.id, model.installed?.path ?? job?.path ?? null)));
    }
  });

  const Title = `h${props.headingLevel ?? 3}` as 'h3';
  return (
    <Card asChild size="2" className="ph-card ph-root">
      <article aria-labelledby={titleId} dir={props.dir ?? m.dir} data-locale={locale} data-kind={model.kind} data-model-id={model.id}>
        <PersianHubStyles />
        <Flex direction="column" gap="2" height="100%">
          <Flex gap="3" align="start">
            <Flex align="center" justify="center" flexShrink="0" className="ph-kind-icon">
              <KindIcon kind={model.kind} size={18} />
            </Flex>
            <Box flexGrow="1" minWidth="0">
              <Flex gap="2" align="center" wrap="wrap">
                <Heading as={Title} size="3" id={titleId}>
                  {name}
                </Heading>
                {installed && (
                  <Badge color="green" variant="soft">
                    <CheckCircledIcon aria-hidden />
                    {m.card.installed}
                  </Badge>
                )}
              </Flex>
              <Text as="div" size="1" color="gray" truncate>
                <bdi dir="ltr" className="ph-ltr">
                  {model.repoId}
                </bdi>
              </Text>
            </Box>
          </Flex>

          <Text as="p" size="2" className="ph-clamp">
            {model.description[locale]}
          </Text>

          <Facts model={model} m={m} locale={locale} />

          {model.gated && !installed && !error && (
            <Text as="p" size="1" color="gray" data-testid="gated-note">
              {m.card.gatedHint}
              {tokenNote ? ` ${tokenNote}` : ''}{' '}
              <Link href={repoUrl} target="_blank" rel="noopener noreferrer" weight="medium" underline="always">
                {m.actions.requestAccess}
                {' '}<VisuallyHidden>{m.actions.opensInNewTab}</VisuallyHidden>
              </Link>
            </Text>
          )}

          {showProgress && job && <ProgressBar {...progressPropsFromJob(job, props.stalled, model.sizeBytes)} locale={locale} />}

          {cancelled && (
            <Text size="1" color="gray">
              {m.card.cancelled}
            </Text>
          )}

          {error && <ErrorBox error={error} m={m} repoUrl={repoUrl} onPickBundle={props.onPickBundle} tokenNote={error.code === 'GATED_REPO' ? tokenNote : null} />}

          <Flex gap="2" wrap="wrap" align="center" mt="auto" pt="1">
            {actions}
          </Flex>
          <More model={model} m={m} locale={locale} repoUrl={repoUrl} />
        </Flex>
        {confirming === 'cancel' && job && (
          <ConfirmDialog
            open
            title={m.confirm.cancelTitle(name)}
            description={m.confirm.cancelBody(job.bytesDownloaded > 0 ? formatBytes(job.bytesDownloaded, locale) : null)}
            confirmLabel={m.confirm.cancelConfirm}
            cancelLabel={m.confirm.cancelKeep}
            onCancel={closeDialog}
            onConfirm={() => {
              setConfirming(null);
              props.onCancel?.(job.id);
            }}
          />
        )}
        {confirming === 'remove' && (
          <ConfirmDialog
            open
            title={m.confirm.removeTitle(name)}
            description={m.confirm.removeBody(formatBytes(model.installed?.sizeOnDisk ?? model.sizeBytes, locale))}
            confirmLabel={m.confirm.removeConfirm}
            cancelLabel={m.confirm.removeKeep}
            onCancel={closeDialog}
            onConfirm={() => {
              setConfirming(null);
              props.onRemove?.(model.id);
            }}
          />
        )}
      </article>
    </Card>
  );
}

/**
 * One catalog entry: what it is (chips: kind, size, licence, commercial use, format, runtime,
 * memory, pickle, gated), its live progress, its error with the next step, and its actions.
 * Memoised: with stable callbacks it renders again only when its own entry changes.
 */
export const ModelCard = memo(ModelCardImpl);
ModelCard.displayName = 'ModelCard';
