import type { AvailableModel, JobSnapshot, ServerCapabilities } from '@persian-hub/client';
import { ExclamationTriangleIcon, MagnifyingGlassIcon, ReloadIcon, UploadIcon } from '@radix-ui/react-icons';
import { Box, Button, Callout, Card, Code, Flex, Grid, Heading, SegmentedControl, Skeleton, Text, TextField } from '@radix-ui/themes';
import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode, type RefObject } from 'react';
import { formatDuration } from '../format/formatDuration.js';
import { formatNumber } from '../format/formatNumber.js';
import type { KindFilter, Locale, Messages } from '../i18n/Messages.js';
import { describeError, describeListError, type ErrorLike } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { filterModels } from './filterModels.js';
import { ModelCard, type ModelCardAction, type ModelCardCallbacks, type ModelCardProps } from './ModelCard.js';
import { PersianHubStyles } from './PersianHubStyles.js';
import { Toasts, type ToastItem } from './Toasts.js';
import { useNow } from './useNow.js';

export const KIND_FILTERS: readonly KindFilter[] = ['all', 'tts', 'asr', 'llm', 'model', 'embedding', 'dataset'];

export type HubNotificationType = 'started' | 'completed' | 'failed';

/** One event worth telling the user about. `id` must be unique: each id is shown once. */
export interface HubNotification {
  readonly id: string;
  readonly type: HubNotificationType;
  readonly job: JobSnapshot;
}

/** The text the view would have shown, for hosts that show notifications themselves. */
export interface HubNotificationText {
  readonly title: string;
  readonly description: string | null;
}

/**
 * How live updates reach the page: `ok`, `reconnecting` (the event stream dropped and is being
 * opened again) or `polling` (no stream; the list is checked every few seconds).
 */
export type LiveStatus = 'ok' | 'reconnecting' | 'polling';

export interface ModelHubViewProps extends ModelCardCallbacks {
  readonly models: readonly AvailableModel[];
  /** @default false */
  readonly loading?: boolean;
  /** Loading the list failed and there is nothing to show: a full message with a retry button. */
  readonly error?: ErrorLike | string | null;
  /**
   * A later refresh failed: the list stays as it is (it may be out of date) and a thin notice
   * says so, with the countdown to the next automatic try (`retryAt`).
   */
  readonly refreshError?: ErrorLike | string | null;
  /** When the list is tried again by itself (epoch ms). */
  readonly retryAt?: number | null;
  /** @default 'ok' */
  readonly liveStatus?: LiveStatus;
  readonly query: string;
  readonly kind: KindFilter;
  readonly onQueryChange?: (query: string) => void;
  readonly onKindChange?: (kind: KindFilter) => void;
  readonly onRetry?: () => void;
  /** @default 'fa' (or the nearest LocaleProvider) */
  readonly locale?: Locale;
  /** @default the locale's direction */
  readonly dir?: 'rtl' | 'ltr';
  /** @default 'https://huggingface.co' */
  readonly endpoint?: string;
  /** New ids are shown as toasts, or handed to `onNotify` when it is given. */
  readonly notifications?: readonly HubNotification[];
  /** Replaces the built-in toasts. Called once per notification id. */
  readonly onNotify?: (notification: HubNotification, text: HubNotificationText) => void;
  /** Per model id: the action the host is performing. */
  readonly pendingActions?: Readonly<Record<string, ModelCardAction | undefined>>;
  /** Job ids that have received nothing for a while. @default derived from each job */
  readonly stalledJobIds?: readonly string[];
  /**
   * Filter `models` by `query` and `kind` here. Turn off when the host already asks the
   * server for a filtered list and wants it shown exactly as returned.
   * @default true
   */
  readonly filterLocally?: boolean;
  /** @default messages.hub.title */
  readonly title?: ReactNode;
  /** Level of the page title; cards are one below. Use 1 when the hub is the page. @default 2 */
  readonly headingLevel?: 1 | 2 | 3;
  /** How long a toast stays, in ms (a failure twice as long). @default 6000 */
  readonly toastDuration?: number;
  /**
   * Shows "Install from offline bundle…": the user picks a `.tar` (made by export, e.g. on a USB
   * drive) and this gets the file. Leave it out when the server does not accept uploads.
   */
  readonly onImportBundle?: (file: File) => void;
  /** An upload is in flight: the button shows it and is disabled. @default false */
  readonly importingBundle?: boolean;
  /** Why the last upload was refused (a bad hash, not a bundle, too large…); null to hide. */
  readonly importBundleError?: ErrorLike | string | null;
  /** What the server offers; cards of gated models say whether this server can download them. */
  readonly capabilities?: ServerCapabilities | null;
  /** Ask before Cancel and Remove. @default true */
  readonly confirmDestructive?: boolean;
  /** Beside the title (the container puts its downloads button there). */
  readonly headerActions?: ReactNode;
  /**
   * Renders each card. The container passes one that follows its own job in the store, so a
   * progress tick renders one card instead of the list. @default ModelCard
   */
  readonly cardComponent?: ComponentType<ModelCardProps>;
}

function notificationText(n: HubNotification, models: readonly AvailableModel[], locale: Locale): HubNotificationText {
  const m = getMessages(locale);
  const model = models.find((x) => x.id === n.job.catalogId || (x.repoId === n.job.repoId && x.repoType === n.job.repoType));
  const name = model ? model.name[locale] : n.job.repoId;
  const bundle = n.job.backend === 'bundle';
  if (n.type === 'started') return { title: (bundle ? m.toasts.importStarted : m.toasts.started)(name), description: null };
  if (n.type === 'completed') return { title: (bundle ? m.toasts.imported : m.toasts.completed)(name), description: null };
  const error = n.job.error ? describeError(n.job.error, locale, { repoId: n.job.repoId }) : null;
  return { title: (bundle ? m.toasts.importFailed : m.toasts.failed)(name), description: error ? error.title : null };
}

function useNotifications(props: ModelHubViewProps, locale: Locale): [ToastItem[], (id: string) => void] {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const seen = useRef(new Set<string>());
  const { notifications, onNotify, models } = props;
  useEffect(() => {
    const fresh: ToastItem[] = [];
    for (const n of notifications ?? []) {
      if (seen.current.has(n.id)) continue;
      seen.current.add(n.id);
      const text = notificationText(n, models, locale);
      if (onNotify) onNotify(n, text);
      else fresh.push({ id: n.id, type: n.type, ...text });
    }
    if (fresh.length > 0) setToasts((current) => [...current, ...fresh].slice(-5));
  }, [notifications, onNotify, models, locale]);
  const dismiss = useCallback((id: string) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  return [toasts, dismiss];
}

/** A button that opens the file picker for a bundle `.tar`; the input itself stays hidden. */
function ImportBundleControl({ m, onFile, busy, inputRef }: { m: Messages; onFile: (file: File) => void; busy: boolean; inputRef: RefObject<HTMLInputElement | null> }) {
  return (
    <Flex gap="2" align="center" wrap="wrap">
      <Button type="button" variant="soft" highContrast loading={busy} disabled={busy} onClick={() => inputRef.current?.click()} aria-describedby="ph-import-bundle-hint">
        <UploadIcon aria-hidden />
        {m.hub.importBundle}
      </Button>
      <Text id="ph-import-bundle-hint" size="1" color="gray" className="ph-hide-narrow">
        {m.hub.importBundleHint}
      </Text>
      <input
        ref={inputRef}
        type="file"
        accept=".tar,application/x-tar"
        hidden
        data-testid="import-bundle-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          // Cleared, so picking the same file again (after fixing the server) fires again.
          event.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
    </Flex>
  );
}

function SkeletonGrid() {
  return (
    // Decorative: the status line above says «loading» to screen readers.
    <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="3" aria-hidden="true" data-testid="hub-skeleton">
      {Array.from({ length: 6 }, (_, i) => (
        <Card key={i} size="2">
          <Flex direction="column" gap="3">
            <Flex gap="3" align="center">
              <Skeleton width="36px" height="36px" />
              <Box flexGrow="1">
                <Skeleton height="16px" width="60%" mb="2" />
                <Skeleton height="12px" width="40%" />
              </Box>
            </Flex>
            <Skeleton height="12px" width="100%" />
            <Skeleton height="12px" width="85%" />
            <Flex gap="2">
              <Skeleton height="20px" width="64px" />
              <Skeleton height="20px" width="96px" />
            </Flex>
            <Skeleton height="32px" width="110px" />
          </Flex>
        </Card>
      ))}
    </Grid>
  );
}

/** «Trying again in 8 s» from an epoch time, ticking once a second while shown. */
function RetryCountdown({ retryAt, locale, m }: { retryAt: number | null | undefined; locale: Locale; m: Messages }) {
  const now = useNow(typeof retryAt === 'number');
  if (typeof retryAt !== 'number') return null;
  const left = Math.ceil((retryAt - now) / 1000);
  return <span>{left > 0 ? m.hub.connection.retryIn(formatDuration(left, locale)) : m.hub.connection.retrying}</span>;
}

/**
 * The thin line that says the page is not getting fresh data, and why, while everything on the
 * screen stays (a failed refresh never blanks the list).
 */
function ConnectionNotice(props: { m: Messages; locale: Locale; liveStatus: LiveStatus; refreshError: ErrorLike | string | null | undefined; retryAt: number | null | undefined; onRetry?: () => void }) {
  const { m, locale } = props;
  if (props.liveStatus === 'ok' && !props.refreshError) return null;
  const problem = props.refreshError ? describeListError(props.refreshError, locale) : null;
  const text = problem
    ? `${m.hub.connection.staleList} ${problem.title}.`
    : props.liveStatus === 'reconnecting'
      ? m.hub.connection.reconnecting
      : m.hub.connection.polling;
  return (
    <div className="ph-notice" role="status" data-testid="connection-notice" data-culprit={problem?.culprit}>
      <ExclamationTriangleIcon aria-hidden />
      <span>{text}</span>
      {problem && <RetryCountdown retryAt={props.retryAt} locale={locale} m={m} />}
      {problem && props.onRetry && (
        <Button type="button" size="1" variant="ghost" color="amber" highContrast onClick={props.onRetry}>
          <ReloadIcon aria-hidden />
          {m.hub.connection.retryNow}
        </Button>
      )}
    </div>
  );
}

/** The whole hub page, from props only. A container (`ModelHub`) feeds it from the store. */
export function ModelHubView(props: ModelHubViewProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const dir = props.dir ?? m.dir;
  const filterLocally = props.filterLocally ?? true;
  const shown = useMemo(
    () => (filterLocally ? filterModels(props.models, props.query, props.kind) : props.models),
    [filterLocally, props.models, props.query, props.kind],
  );
  const [toasts, dismiss] = useNotifications(props, locale);
  const stalled = useMemo(() => (props.stalledJobIds ? new Set(props.stalledJobIds) : null), [props.stalledJobIds]);
  const listError = props.error ? describeListError(props.error, locale) : null;
  const importError = props.importBundleError ? describeError(props.importBundleError, locale) : null;
  const bundleInput = useRef<HTMLInputElement>(null);
  const openBundlePicker = useCallback(() => bundleInput.current?.click(), []);
  const CardComponent = props.cardComponent ?? ModelCard;
  const level = props.headingLevel ?? 2;
  const Title = `h${level}` as 'h2';
  const cardLevel = (level + 1) as 2 | 3 | 4;

  let body: ReactNode;
  if (listError && props.models.length === 0) {
    body = (
      <Callout.Root color="red" role="alert" data-testid="hub-error" data-culprit={listError.culprit}>
        <Callout.Icon>
          <ExclamationTriangleIcon />
        </Callout.Icon>
        <Flex direction="column" gap="2" align="start">
          <Text as="p" size="2" weight="bold">
            {listError.title}
          </Text>
          <Callout.Text>
            {listError.description} <RetryCountdown retryAt={props.retryAt} locale={locale} m={m} />
          </Callout.Text>
          {props.onRetry && (
            <Button type="button" color="red" variant="soft" highContrast onClick={props.onRetry}>
              <ReloadIcon aria-hidden />
              {m.hub.retry}
            </Button>
          )}
          <details className="ph-details">
            <Text as="span" size="1" asChild>
              <summary>{m.card.technicalDetails}</summary>
            </Text>
            {listError.admin && (
              <Text as="p" size="1" mt="1">
                {m.card.forAdmin}: {listError.admin}
              </Text>
            )}
            <Code size="1" variant="ghost" color="gray" style={{ display: 'block', marginBlockStart: 4 }}>
              <bdi dir="ltr" className="ph-ltr">
                {listError.code ? `${listError.code}: ` : ''}
                {listError.technical}
              </bdi>
            </Code>
          </details>
        </Flex>
      </Callout.Root>
    );
  } else if (props.loading && props.models.length === 0) {
    body = <SkeletonGrid />;
  } else if (shown.length === 0) {
    body = (
      <Card size="3" data-testid="hub-empty">
        <Flex direction="column" align="center" gap="2" py="6">
          <MagnifyingGlassIcon width={28} height={28} aria-hidden color="var(--gray-9)" />
          <Heading as={`h${cardLevel}` as 'h3'} size="4">
            {m.hub.emptyTitle}
          </Heading>
          <Text color="gray" size="2" align="center">
            {props.query.trim() ? m.hub.emptyQuery(props.query.trim()) : m.hub.emptyDescription}
          </Text>
          {props.query.trim() !== '' && props.onQueryChange && (
            <Button type="button" variant="soft" highContrast onClick={() => props.onQueryChange?.('')}>
              {m.hub.clearSearch}
            </Button>
          )}
        </Flex>
      </Card>
    );
  } else {
    body = (
      <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="3" role="list" aria-label={m.hub.resultsLabel}>
        {shown.map((model) => (
          <Box key={model.id} role="listitem" minWidth="0">
            <CardComponent
              model={model}
              locale={locale}
              dir={dir}
              endpoint={props.endpoint}
              pendingAction={props.pendingActions?.[model.id] ?? null}
              stalled={stalled && model.job ? stalled.has(model.job.id) : undefined}
              capabilities={props.capabilities}
              confirmDestructive={props.confirmDestructive}
              headingLevel={cardLevel}
              onDownload={props.onDownload}
              onPause={props.onPause}
              onResume={props.onResume}
              onCancel={props.onCancel}
              onRemove={props.onRemove}
              onOpenFolder={props.onOpenFolder}
              onPickBundle={props.onImportBundle ? openBundlePicker : undefined}
            />
          </Box>
        ))}
      </Grid>
    );
  }

  return (
    <Box dir={dir} className="ph-hub ph-root" data-locale={locale}>
      <PersianHubStyles />
      <Flex direction="column" gap="3">
        <Flex asChild gap="3" align="start" justify="between" wrap="wrap">
          <header>
            <Box>
              <Heading as={Title} size="6">
                {props.title ?? m.hub.title}
              </Heading>
              <Text as="p" color="gray" size="2">
                {m.hub.subtitle}
              </Text>
            </Box>
            {props.headerActions}
          </header>
        </Flex>
        <ConnectionNotice
          m={m}
          locale={locale}
          liveStatus={props.liveStatus ?? 'ok'}
          refreshError={props.models.length > 0 ? (props.refreshError ?? null) : null}
          retryAt={props.retryAt}
          onRetry={props.onRetry}
        />
        <Flex gap="3" wrap="wrap" align="center" justify="between">
          {/* At least 240px: beside the seven kind segments the box shrank to a few words; it wraps instead. */}
          <Box flexGrow="1" flexBasis="0" minWidth="240px" maxWidth="420px">
            <TextField.Root
              type="search"
              size="2"
              // Typed English runs left-to-right inside the RTL box, while the box (and its
              // padding around the icon) keeps the page direction; dir="auto" would flip both.
              style={{ unicodeBidi: 'plaintext' }}
              value={props.query}
              placeholder={m.hub.searchPlaceholder}
              aria-label={m.hub.searchLabel}
              onChange={(event) => props.onQueryChange?.(event.currentTarget.value)}
            >
              <TextField.Slot>
                <MagnifyingGlassIcon aria-hidden />
              </TextField.Slot>
            </TextField.Root>
          </Box>
          {/* Seven segments need about 820px; narrower screens get the browser's own select. */}
          <Box display={{ initial: 'block', md: 'none' }} data-testid="kind-select">
            <select className="ph-select" value={props.kind} aria-label={m.hub.kindLabel} onChange={(event) => props.onKindChange?.(event.currentTarget.value as KindFilter)}>
              {KIND_FILTERS.map((kind) => (
                <option key={kind} value={kind}>
                  {m.kinds[kind]}
                </option>
              ))}
            </select>
          </Box>
          <Box className="ph-kind-filter" display={{ initial: 'none', md: 'block' }}>
            <SegmentedControl.Root
              value={props.kind}
              onValueChange={(value) => props.onKindChange?.(value as KindFilter)}
              aria-label={m.hub.kindLabel}
              // Radix Theme pins its direction context to ltr, so arrow keys would run backwards
              // in RTL. The underlying ToggleGroup accepts `dir`; the Themes type just omits it.
              {...({ dir } as object)}
              size="2"
            >
              {KIND_FILTERS.map((kind) => (
                <SegmentedControl.Item key={kind} value={kind}>
                  {m.kinds[kind]}
                </SegmentedControl.Item>
              ))}
            </SegmentedControl.Root>
          </Box>
        </Flex>
        {props.onImportBundle && <ImportBundleControl m={m} onFile={props.onImportBundle} busy={props.importingBundle ?? false} inputRef={bundleInput} />}
        {importError && (
          <Callout.Root color="red" role="alert" data-testid="import-bundle-error">
            <Callout.Icon>
              <ExclamationTriangleIcon />
            </Callout.Icon>
            <Flex direction="column" gap="1">
              <Text as="p" size="2" weight="bold">
                {m.hub.importBundleErrorTitle}
                {importError.code ? `: ${importError.title}` : ''}
              </Text>
              <Callout.Text>{importError.code ? importError.description : importError.technical}</Callout.Text>
            </Flex>
          </Callout.Root>
        )}
        <Text as="p" size="1" color="gray" role="status">
          {props.loading && props.models.length === 0 ? m.hub.loading : listError && props.models.length === 0 ? '' : m.hub.count(formatNumber(shown.length, locale))}
        </Text>
        {body}
      </Flex>
      <Toasts toasts={toasts} onDismiss={dismiss} duration={props.toastDuration ?? 6000} label={m.toasts.region} closeLabel={m.toasts.close} />
    </Box>
  );
}
