import { CheckCircledIcon, Cross2Icon, DownloadIcon, ExclamationTriangleIcon } from '@radix-ui/react-icons';
import { Box, IconButton, Text } from '@radix-ui/themes';
import { useEffect, useRef, useState, type ReactNode } from 'react';

export type ToastType = 'started' | 'completed' | 'failed';

export interface ToastItem {
  readonly id: string;
  readonly type: ToastType;
  readonly title: string;
  readonly description: string | null;
}

export interface ToastsProps {
  readonly toasts: readonly ToastItem[];
  readonly onDismiss: (id: string) => void;
  /** ms; a failure stays twice as long. */
  readonly duration: number;
  /** Accessible name of the region. */
  readonly label: string;
  readonly closeLabel: string;
}

const icons: Record<ToastType, ReactNode> = {
  started: <DownloadIcon aria-hidden color="var(--accent-11)" />,
  completed: <CheckCircledIcon aria-hidden color="var(--green-11)" />,
  failed: <ExclamationTriangleIcon aria-hidden color="var(--red-11)" />,
};

function Toast({ toast, onDismiss, duration, paused, closeLabel }: { toast: ToastItem; onDismiss: (id: string) => void; duration: number; paused: boolean; closeLabel: string }) {
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => onDismiss(toast.id), toast.type === 'failed' ? duration * 2 : duration);
    return () => clearTimeout(timer);
  }, [paused, duration, toast.id, toast.type, onDismiss]);
  return (
    <li className="ph-toast" data-type={toast.type}>
      <Box pt="1">{icons[toast.type]}</Box>
      <Box flexGrow="1">
        <Text as="div" size="2" weight="medium">
          {toast.title}
        </Text>
        {toast.description && (
          <Text as="div" size="1" color="gray">
            {toast.description}
          </Text>
        )}
      </Box>
      <IconButton type="button" size="1" variant="ghost" color="gray" aria-label={closeLabel} onClick={() => onDismiss(toast.id)}>
        <Cross2Icon aria-hidden />
      </IconButton>
    </li>
  );
}

/**
 * Notifications in a labelled region whose list is a polite live region (it exists before the
 * first toast, so screen readers announce each one). Timers stop while the pointer or the focus is
 * inside, so nobody loses a message while reading it. A few lines instead of a toast library.
 */
export function Toasts(props: ToastsProps) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const region = useRef<HTMLElement>(null);
  return (
    <section
      ref={region}
      className="ph-toast-viewport"
      aria-label={props.label}
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!region.current?.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <ol aria-live="polite" aria-relevant="additions text">
        {props.toasts.map((t) => (
          <Toast key={t.id} toast={t} onDismiss={props.onDismiss} duration={props.duration} paused={hovered || focused} closeLabel={props.closeLabel} />
        ))}
      </ol>
    </section>
  );
}
