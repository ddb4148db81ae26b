import { ConfirmDialog, Toasts } from '@persian-hub/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { fn } from 'storybook/test';

const meta = {
  title: 'Components/ConfirmDialog',
  component: ConfirmDialog,
  parameters: {
    docs: {
      description: {
        component:
          'The question before something is thrown away (Cancel deletes what was downloaded, Remove deletes an installed model), on the browser\'s own `<dialog>`: the page behind is inert, Escape keeps everything, the safe choice has the focus.',
      },
    },
  },
  args: {
    open: true,
    title: 'دانلود «پارس‌برت (با نیم‌فاصله)» لغو شود؟',
    description: '۲۱۴ مگابایت که تا حالا دریافت شده پاک می‌شود. با «توقف» نگه داشته می‌شود و بعداً ادامه می‌دهید.',
    confirmLabel: 'لغو و پاک کردن',
    cancelLabel: 'ادامهٔ دانلود',
    onConfirm: fn(),
    onCancel: fn(),
  },
} satisfies Meta<typeof ConfirmDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

export const CancelDownload: Story = {};
export const RemoveInstalledEnglish: Story = {
  args: {
    title: 'Remove “Dorna 8B (GGUF)”?',
    description: '4.9 GB is deleted from the server’s disk. To use it again, it must be downloaded again.',
    confirmLabel: 'Remove',
    cancelLabel: 'Keep it',
  },
  globals: { locale: 'en' },
};

/** The notification list on its own (ModelHubView shows it for started, completed and failed downloads). */
export const ToastList: Story = {
  render: () => (
    <Toasts
      label="اعلان‌ها"
      closeLabel="بستن"
      duration={600_000}
      onDismiss={fn()}
      toasts={[
        { id: 'a', type: 'started', title: 'دانلود «صدای امیر (Piper)» شروع شد', description: null },
        { id: 'b', type: 'completed', title: 'دانلود «توکا (بردارساز جمله)» کامل شد', description: null },
        { id: 'c', type: 'failed', title: 'دانلود «درنا ۸ میلیاردی (GGUF)» ناموفق بود', description: 'جای خالی روی سرور کافی نیست' },
      ]}
    />
  ),
};
