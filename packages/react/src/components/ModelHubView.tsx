import type { AvailableModel, JobSnapshot } from '@persian-hub/client';
import { CheckCircledIcon, Cross2Icon, DownloadIcon, ExclamationTriangleIcon, MagnifyingGlassIcon, ReloadIcon, UploadIcon } from '@radix-ui/react-icons';
import * as Toast from '@radix-ui/react-toast';
import {
  Box,
  Button,
  Callout,
  Card,
  Flex,
  Grid,
  Heading,
  IconButton,
  SegmentedControl,
  Select,
  Skeleton,
  Text,
  TextField,
} from '@radix-ui/themes';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { formatNumber } from '../format/formatNumber.js';
import type { KindFilter, Locale, Messages } from '../i18n/Messages.js';
import { describeError, type ErrorLike } from '../i18n/describeError.js';
import { getMessages } from '../i18n/getMessages.js';
import { useLocale } from '../i18n/LocaleProvider.js';
import { filterModels } from './filterModels.js';
import { ModelCard, type ModelCardAction, type ModelCardCallbacks } from './ModelCard.js';
import { PersianHubStyles } from './PersianHubStyles.js';

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

export interface ModelHubViewProps extends ModelCardCallbacks {
  readonly models: readonly AvailableModel[];
  /** @default false */
  readonly loading?: boolean;
  /** Loading the list failed; shown with a retry button. */
  readonly error?: ErrorLike | string | null;
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
  /** Job ids that have received nothing for a while. */
  readonly stalledJobIds?: readonly string[];
  /**
   * Filter `models` by `query` and `kind` here. Turn off when the host already asks the
   * server for a filtered list and wants it shown exactly as returned.
   * @default true
   */
  readonly filterLocally?: boolean;
  /** @default messages.hub.title */
  readonly title?: ReactNode;
  /** How long a toast stays, in ms. @default 6000 */
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

const toastIcon: Record<HubNotificationType, ReactNode> = {
  started: <DownloadIcon aria-hidden color="var(--accent-11)" />,
  completed: <CheckCircledIcon aria-hidden color="var(--green-11)" />,
  failed: <ExclamationTriangleIcon aria-hidden color="var(--red-11)" />,
};

interface ShownToast extends HubNotificationText {
  readonly id: string;
  readonly type: HubNotificationType;
}

function useNotifications(props: ModelHubViewProps, locale: Locale): [ShownToast[], (id: string) => void] {
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const seen = useRef(new Set<string>());
  const { notifications, onNotify, models } = props;
  useEffect(() => {
    const fresh: ShownToast[] = [];
    for (const n of notifications ?? []) {
      if (seen.current.has(n.id)) continue;
      seen.current.add(n.id);
      const text = notificationText(n, models, locale);
      if (onNotify) onNotify(n, text);
      else fresh.push({ id: n.id, type: n.type, ...text });
    }
    if (fresh.length > 0) setToasts((current) => [...current, ...fresh]);
  }, [notifications, onNotify, models, locale]);
  return [toasts, (id) => setToasts((current) => current.filter((t) => t.id !== id))];
}

/** A button that opens the file picker for a bundle `.tar`; the input itself stays hidden. */
function ImportBundleControl({ m, onFile, busy }: { m: Messages; onFile: (file: File) => void; busy: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <Flex gap="2" align="center" wrap="wrap">
      <Button type="button" variant="soft" loading={busy} disabled={busy} onClick={() => input.current?.click()} aria-describedby="ph-import-bundle-hint">
        <UploadIcon aria-hidden />
        {m.hub.importBundle}
      </Button>
      <Text id="ph-import-bundle-hint" size="1" color="gray">
        {m.hub.importBundleHint}
      </Text>
      <input
        ref={input}
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

function SkeletonGrid({ m }: { m: Messages }) {
  return (
    <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="4" aria-busy="true" aria-label={m.hub.loading} data-testid="hub-skeleton">
      {Array.from({ length: 6 }, (_, i) => (
        <Card key={i} size="2">
          <Flex direction="column" gap="3">
            <Flex gap="3" align="center">
              <Skeleton width="40px" height="40px" />
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

/** The whole hub page, from props only. A container (`ModelHub`) feeds it from the store. */
export function ModelHubView(props: ModelHubViewProps) {
  const locale = useLocale(props.locale);
  const m = getMessages(locale);
  const dir = props.dir ?? m.dir;
  const filterLocally = props.filterLocally ?? true;
  const shown = useMemo(
    () => (filterLocally ? filterModels(props.models, props.query, props.kind) : [...props.models]),
    [filterLocally, props.models, props.query, props.kind],
  );
  const [toasts, dismiss] = useNotifications(props, locale);
  const stalled = useMemo(() => new Set(props.stalledJobIds ?? []), [props.stalledJobIds]);
  const listError = props.error ? describeError(props.error, locale) : null;
  const importError = props.importBundleError ? describeError(props.importBundleError, locale) : null;

  let body: ReactNode;
  if (listError) {
    body = (
      <Callout.Root color="red" role="alert" data-testid="hub-error">
        <Callout.Icon>
          <ExclamationTriangleIcon />
        </Callout.Icon>
        <Flex direction="column" gap="2" align="start">
          <Text as="p" size="2" weight="bold">
            {m.hub.errorTitle}
          </Text>
          <Callout.Text>
            {listError.code ? `${listError.title}: ${listError.description}` : listError.technical}
          </Callout.Text>
          {props.onRetry && (
            <Button type="button" color="red" variant="solid" onClick={props.onRetry}>
              <ReloadIcon aria-hidden />
              {m.hub.retry}
            </Button>
          )}
        </Flex>
      </Callout.Root>
    );
  } else if (props.loading && props.models.length === 0) {
    body = <SkeletonGrid m={m} />;
  } else if (shown.length === 0) {
    body = (
      <Card size="3" data-testid="hub-empty">
        <Flex direction="column" align="center" gap="2" py="6">
          <MagnifyingGlassIcon width={28} height={28} aria-hidden color="var(--gray-9)" />
          <Heading as="h3" size="4">
            {m.hub.emptyTitle}
          </Heading>
          <Text color="gray" size="2" align="center">
            {props.query.trim() ? m.hub.emptyQuery(props.query.trim()) : m.hub.emptyDescription}
          </Text>
          {props.query.trim() !== '' && props.onQueryChange && (
            <Button type="button" variant="soft" onClick={() => props.onQueryChange?.('')}>
              {m.hub.clearSearch}
            </Button>
          )}
        </Flex>
      </Card>
    );
  } else {
    body = (
      <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="4" role="list" aria-label={m.hub.resultsLabel}>
        {shown.map((model) => (
          <Box key={model.id} role="listitem" minWidth="0">
            <ModelCard
              model={model}
              locale={locale}
              dir={dir}
              endpoint={props.endpoint}
              pendingAction={props.pendingActions?.[model.id] ?? null}
              stalled={model.job !== null && stalled.has(model.job.id)}
              onDownload={props.onDownload}
              onPause={props.onPause}
              onResume={props.onResume}
              onCancel={props.onCancel}
              onRemove={props.onRemove}
              onOpenFolder={props.onOpenFolder}
            />
          </Box>
        ))}
      </Grid>
    );
  }

  return (
    <Toast.Provider swipeDirection={dir === 'rtl' ? 'left' : 'right'} label={m.toasts.region}>
      <Box dir={dir} className="ph-hub" data-locale={locale}>
        <PersianHubStyles />
        <Flex direction="column" gap="4">
          <Box asChild>
            <header>
              <Heading as="h2" size="6">
                {props.title ?? m.hub.title}
              </Heading>
              <Text as="p" color="gray" size="2">
                {m.hub.subtitle}
              </Text>
            </header>
          </Box>
          <Flex gap="3" wrap="wrap" align="center" justify="between">
            <Box flexGrow="1" minWidth="220px" maxWidth="420px">
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
            {/* Seven segments need about 820px; narrower screens get a select instead. */}
            <Box display={{ initial: 'block', md: 'none' }} data-testid="kind-select">
              <Select.Root value={props.kind} onValueChange={(value) => props.onKindChange?.(value as KindFilter)} dir={dir}>
                <Select.Trigger aria-label={m.hub.kindLabel} />
                <Select.Content position="popper">
                  {KIND_FILTERS.map((kind) => (
                    <Select.Item key={kind} value={kind}>
                      {m.kinds[kind]}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select.Root>
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
          {props.onImportBundle && (
            <ImportBundleControl m={m} onFile={props.onImportBundle} busy={props.importingBundle ?? false} />
          )}
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
            {props.loading ? m.hub.loading : listError ? '' : m.hub.count(formatNumber(shown.length, locale))}
          </Text>
          {body}
        </Flex>
        {toasts.map((t) => (
          <Toast.Root
            key={t.id}
            className="ph-toast"
            duration={props.toastDuration ?? 6000}
            type={t.type === 'failed' ? 'foreground' : 'background'}
            data-type={t.type}
            onOpenChange={(open) => {
              if (!open) dismiss(t.id);
            }}
          >
            <Box pt="1">{toastIcon[t.type]}</Box>
            <Box flexGrow="1">
              <Toast.Title asChild>
                <Text as="div" size="2" weight="medium">
                  {t.title}
                </Text>
              </Toast.Title>
              {t.description && (
                <Toast.Description asChild>
                  <Text as="div" size="1" color="gray">
                    {t.description}
                  </Text>
                </Toast.Description>
              )}
            </Box>
            <Toast.Close asChild>
              <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={m.toasts.close}>
                <Cross2Icon aria-hidden />
              </IconButton>
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="ph-toast-viewport" dir={dir} />
      </Box>
    </Toast.Provider>
  );
}
