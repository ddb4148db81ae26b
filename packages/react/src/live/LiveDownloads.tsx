import type { AvailableModel } from '@persian-hub/client';
import { DownloadIcon } from '@radix-ui/react-icons';
import { Cross2Icon } from '@radix-ui/react-icons';
import { Badge, Button, Flex, IconButton, VisuallyHidden } from '@radix-ui/themes';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DownloadsPanel } from '../components/DownloadsPanel.js';
import { formatNumber, formatPercent } from '../format/formatNumber.js';
import type { Locale } from '../i18n/Messages.js';
import { getMessages } from '../i18n/getMessages.js';
import { usePersianHubSelector, usePersianHubStore } from '../hooks/usePersianHubStore.js';
import { selectActiveJobCount, selectActiveProgress, selectJobList } from '../store/selectors.js';
import type { PersianHubState } from '../store/types.js';

const selectAnyJobs = (s: PersianHubState) => s.jobOrder.length > 0;
const selectCatalog = (s: PersianHubState) => s.catalog;
const NO_MODELS: readonly AvailableModel[] = [];

/** Puts the overall progress in front of the tab title while something downloads: «(۴۵٪) …». */
export function useTitleProgress(enabled: boolean, locale: Locale): void {
  const percent = usePersianHubSelector(selectActiveProgress);
  const base = useRef<string | null>(null);
  const show = enabled && percent !== null && typeof document !== 'undefined';
  const prefix = show ? getMessages(locale).hub.titleProgress(formatPercent(percent, locale)) : null;
  useEffect(() => {
    if (prefix === null) {
      if (base.current !== null) document.title = base.current;
      base.current = null;
      return;
    }
    base.current ??= document.title;
    document.title = `${prefix} ${base.current}`;
  }, [prefix]);
  useEffect(
    () => () => {
      if (base.current !== null) document.title = base.current;
    },
    [],
  );
}

export interface LiveDownloadsProps {
  readonly locale: Locale;
  readonly dir: 'rtl' | 'ltr';
  readonly confirmDestructive?: boolean;
  /** Put the overall progress in front of the tab title. @default true */
  readonly titleProgress?: boolean;
  readonly onPickBundle?: () => void;
  readonly onPause: (jobId: string) => void;
  readonly onResume: (jobId: string) => void;
  readonly onCancel: (jobId: string) => void;
}

function DownloadsSheet(props: LiveDownloadsProps & { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const store = usePersianHubStore();
  const jobs = usePersianHubSelector(selectJobList);
  const catalog = usePersianHubSelector(selectCatalog) ?? NO_MODELS;
  const m = getMessages(props.locale);
  const { onClose } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }, []);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog ref={ref} className="ph-sheet ph-root" data-locale={props.locale} dir={props.dir} aria-label={m.downloads.title}>
      <Flex justify="end">
        <IconButton type="button" variant="ghost" color="gray" aria-label={m.downloads.close} onClick={onClose} data-action="close-downloads">
          <Cross2Icon aria-hidden />
        </IconButton>
      </Flex>
      <DownloadsPanel
        jobs={jobs}
        models={catalog}
        locale={props.locale}
        dir={props.dir}
        confirmDestructive={props.confirmDestructive}
        onPause={props.onPause}
        onResume={props.onResume}
        onCancel={props.onCancel}
        onLoadFiles={store.loadJobFiles}
        onPickBundle={props.onPickBundle}
      />
    </dialog>
  );
}

/**
 * The always reachable way to every download, whatever the search shows: a button with the number
 * of active downloads that opens a side sheet with each job and, on demand, its files.
 */
export function LiveDownloads(props: LiveDownloadsProps) {
  const [open, setOpen] = useState(false);
  const active = usePersianHubSelector(selectActiveJobCount);
  const any = usePersianHubSelector(selectAnyJobs);
  const m = getMessages(props.locale);
  const close = useCallback(() => setOpen(false), []);
  // Here rather than in the page: the percent changes on most ticks, and only this button re-renders for it.
  useTitleProgress(props.titleProgress ?? true, props.locale);
  if (!any && !open) return null;
  return (
    <>
      <Button type="button" variant="soft" highContrast onClick={() => setOpen(true)} aria-haspopup="dialog" data-action="open-downloads">
        <DownloadIcon aria-hidden />
        {m.hub.downloadsButton}
        {active > 0 && (
          <>
            <Badge variant="solid" highContrast radius="full" data-testid="active-downloads" aria-hidden="true">
              {formatNumber(active, props.locale)}
            </Badge>
            <VisuallyHidden>{m.hub.activeDownloads(formatNumber(active, props.locale))}</VisuallyHidden>
          </>
        )}
      </Button>
      {open && <DownloadsSheet {...props} onClose={close} />}
    </>
  );
}
