import { Button, Flex, Heading, Text } from '@radix-ui/themes';
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly description: ReactNode;
  readonly confirmLabel: string;
  /** The safe choice; it has the focus when the dialog opens. */
  readonly cancelLabel: string;
  readonly onConfirm: () => void;
  /** Also called on Escape. */
  readonly onCancel: () => void;
  /** @default 'red' */
  readonly color?: 'red' | 'gray';
}

/**
 * An alert dialog on the browser's own `<dialog>` (`showModal`): the page behind it is inert,
 * Escape closes it and focus returns where it was, with no dialog library in the bundle. It is
 * rendered where it is used, so it keeps the page's direction, theme and language.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const { open, onCancel } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // jsdom and very old browsers have no showModal; the `open` attribute still shows it.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const cancel = (event: Event) => {
      event.preventDefault();
      onCancel();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onCancel]);

  if (!open) return null;
  return (
    <dialog ref={ref} className="ph-dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId}>
      <Heading as="h2" size="4" id={titleId} mb="2">
        {props.title}
      </Heading>
      <Text as="p" size="2" id={bodyId}>
        {props.description}
      </Text>
      <Flex gap="3" mt="4" justify="end" wrap="wrap">
        <Button type="button" variant="soft" color="gray" autoFocus onClick={props.onCancel}>
          {props.cancelLabel}
        </Button>
        {/* highContrast: white on a Radix step-9 red is 4:1, under the 4.5:1 text needs. */}
        <Button type="button" variant="solid" highContrast color={props.color ?? 'red'} onClick={props.onConfirm} data-action="confirm">
          {props.confirmLabel}
        </Button>
      </Flex>
    </dialog>
  );
}
