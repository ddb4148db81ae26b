import { ERROR_CODES } from '@persian-hub/client';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { messagesEn } from '../i18n/messages.en.js';
import { messagesFa } from '../i18n/messages.fa.js';
import { ModelCard, type ModelCardProps } from './ModelCard.js';
import { installedSnapshot, makeJob, makeModel, renderInTheme } from './testing.js';

function callbacks() {
  return {
    onDownload: vi.fn(),
    onPause: vi.fn(),
    onResume: vi.fn(),
    onCancel: vi.fn(),
    onRemove: vi.fn(),
    onOpenFolder: vi.fn(),
  };
}

function renderCard(props: Partial<ModelCardProps> = {}) {
  const cb = callbacks();
  const result = renderInTheme(<ModelCard model={makeModel()} {...cb} {...props} />);
  return { ...result, cb };
}

const buttonNames = () => screen.queryAllByRole('button').map((b) => b.textContent);

describe('ModelCard actions per state', () => {
  it('offers Download when nothing is installed or running', () => {
    renderCard({ locale: 'en' });
    expect(buttonNames()).toEqual(['Download']);
  });

  it('offers Pause and Cancel while downloading, with live progress', () => {
    renderCard({ locale: 'en', model: makeModel({ job: makeJob() }) });
    expect(buttonNames()).toEqual(['Pause', 'Cancel']);
    expect(screen.getByRole('progressbar')).toBeTruthy();
  });

  it('offers Pause and Cancel while queued', () => {
    renderCard({ locale: 'en', model: makeModel({ job: makeJob({ status: 'queued', bytesTotal: null }) }) });
    expect(buttonNames()).toEqual(['Pause', 'Cancel']);
  });

  it('offers Resume and Cancel when paused', () => {
    renderCard({ locale: 'en', model: makeModel({ job: makeJob({ status: 'paused' }) }) });
    expect(buttonNames()).toEqual(['Resume', 'Cancel']);
  });

  it('offers Retry after a failure', () => {
    const job = makeJob({ status: 'failed', error: { code: 'NETWORK', message: 'ECONNRESET' } });
    renderCard({ locale: 'en', model: makeModel({ job }) });
    expect(buttonNames()).toEqual(['Retry']);
  });

  it('offers Open folder and Remove when installed, and shows the badge', () => {
    renderCard({ model: makeModel({ installed: installedSnapshot }) });
    expect(buttonNames()).toEqual(['باز کردن پوشه', 'حذف']);
    expect(screen.getByText('نصب شده')).toBeTruthy();
  });

  it('hides Open folder without onOpenFolder', () => {
    const cb = callbacks();
    renderInTheme(
      <ModelCard locale="en" model={makeModel({ installed: installedSnapshot })} {...cb} onOpenFolder={undefined} />,
    );
    expect(buttonNames()).toEqual(['Remove']);
  });
});

describe('ModelCard callbacks', () => {
  it.each([
    ['click', null],
    ['Enter', '{Enter}'],
    ['Space', ' '],
  ] as const)('calls the right callback with the right id (%s)', async (_how, key) => {
    const user = userEvent.setup();
    const press = async (name: string) => {
      const button = screen.getByRole('button', { name });
      if (key === null) await user.click(button);
      else {
        button.focus();
        await user.keyboard(key);
      }
    };

    const idle = renderCard({ locale: 'en' });
    await press('Download');
    expect(idle.cb.onDownload).toHaveBeenCalledWith('piper-fa-amir');
    idle.unmount();

    const running = renderCard({ locale: 'en', model: makeModel({ job: makeJob({ id: 'job-42' }) }) });
    await press('Pause');
    expect(running.cb.onPause).toHaveBeenCalledWith('job-42');
    await press('Cancel');
    expect(running.cb.onCancel).toHaveBeenCalledWith('job-42');
    running.unmount();

    const paused = renderCard({ locale: 'en', model: makeModel({ job: makeJob({ id: 'job-7', status: 'paused' }) }) });
    await press('Resume');
    expect(paused.cb.onResume).toHaveBeenCalledWith('job-7');
    paused.unmount();

    const installed = renderCard({ locale: 'en', model: makeModel({ installed: installedSnapshot }) });
    await press('Remove');
    expect(installed.cb.onRemove).toHaveBeenCalledWith('piper-fa-amir');
    await press('Open folder');
    expect(installed.cb.onOpenFolder).toHaveBeenCalledWith('piper-fa-amir', installedSnapshot.path);
  });

  it('reaches every action with Tab', async () => {
    const user = userEvent.setup();
    renderCard({ locale: 'en', model: makeModel({ job: makeJob() }) });
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Pause');
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Cancel');
    await user.tab();
    expect(document.activeElement?.tagName).toBe('A');
  });
});

describe('ModelCard pending and disabled states', () => {
  it('spins the pending button and disables the others', async () => {
    const user = userEvent.setup();
    const { cb } = renderCard({ locale: 'en', model: makeModel({ job: makeJob() }), pendingAction: 'pause' });
    const pause = screen.getByRole('button', { name: 'Pause' }) as HTMLButtonElement;
    const cancel = screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement;
    expect(pause.disabled).toBe(true);
    expect(pause.getAttribute('aria-busy')).toBe('true');
    expect(cancel.disabled).toBe(true);
    await user.click(cancel);
    expect(cb.onCancel).not.toHaveBeenCalled();
  });

  it('disables every action with `disabled`', () => {
    renderCard({ locale: 'en', disabled: true });
    expect((screen.getByRole('button', { name: 'Download' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ModelCard markers and links', () => {
  it('marks non-commercial licenses', () => {
    renderCard({ model: makeModel({ license: 'cc-by-nc-4.0', commercialUse: false }) });
    expect(screen.getByTestId('non-commercial').textContent).toContain('غیرتجاری');
    expect(screen.getByText('cc-by-nc-4.0').tagName).toBe('BDI');
  });

  it('does not mark commercial licenses', () => {
    renderCard();
    expect(screen.queryByTestId('non-commercial')).toBeNull();
  });

  it('marks gated repos', () => {
    renderCard({ model: makeModel({ gated: true }) });
    expect(screen.getByTestId('gated').textContent).toContain('نیاز به توکن/پذیرش شرایط');
  });

  it('shows the name in the locale and the repo id left-to-right', () => {
    renderCard({ locale: 'en' });
    expect(screen.getByRole('heading', { name: 'Amir voice (Piper)' })).toBeTruthy();
    const repo = screen.getByText('gyroing/Persian-Piper-Model-Amir');
    expect(repo.tagName).toBe('BDI');
    expect(repo.getAttribute('dir')).toBe('ltr');
    expect(screen.getByText('Size: 63.2 MB')).toBeTruthy();
  });

  it('is RTL in Persian and LTR in English', () => {
    const { container, unmount } = renderCard();
    expect(container.querySelector('article')?.getAttribute('dir')).toBe('rtl');
    unmount();
    const en = renderCard({ locale: 'en' });
    expect(en.container.querySelector('article')?.getAttribute('dir')).toBe('ltr');
  });

  it('links to the model page on the Hub', () => {
    renderCard({ locale: 'en' });
    const link = screen.getByRole('link', { name: /View on Hugging Face/ });
    expect(link.getAttribute('href')).toBe('https://huggingface.co/gyroing/Persian-Piper-Model-Amir');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('links datasets under /datasets/ on a custom endpoint', () => {
    renderCard({
      locale: 'en',
      endpoint: 'https://hf-mirror.com/',
      model: makeModel({ repoType: 'dataset', kind: 'dataset', repoId: 'hezarai/common-voice-13-fa' }),
    });
    expect(screen.getByRole('link').getAttribute('href')).toBe('https://hf-mirror.com/datasets/hezarai/common-voice-13-fa');
  });
});

describe('ModelCard errors', () => {
  const failed = (code: string, details?: Record<string, unknown>) =>
    makeModel({ job: makeJob({ status: 'failed', error: { code, message: `server says ${code}`, details } }) });

  it.each(ERROR_CODES.map((code) => [code]))('explains %s in Persian and English', (code) => {
    for (const [locale, table] of [
      ['fa', messagesFa],
      ['en', messagesEn],
    ] as const) {
      const { unmount } = renderCard({ locale, model: failed(code) });
      const alert = screen.getByRole('alert');
      expect(alert.getAttribute('data-error-code')).toBe(code);
      expect(within(alert).getByText(table.errors[code].title)).toBeTruthy();
      expect(alert.textContent).toContain(`server says ${code}`);
      unmount();
    }
  });

  it('says how much space DISK_FULL needs', () => {
    const model = failed('DISK_FULL', { requiredBytes: 450_000_000, availableBytes: 120_000_000 });
    const { unmount } = renderCard({ model });
    expect(screen.getByRole('alert').textContent).toContain('۴۵۰ مگابایت');
    expect(screen.getByRole('alert').textContent).toContain('۱۲۰ مگابایت');
    unmount();
    renderCard({ locale: 'en', model });
    expect(screen.getByRole('alert').textContent).toContain('needs 450 MB but only 120 MB is free');
  });

  it('links the gated error to the repo page', () => {
    renderCard({ locale: 'en', model: failed('GATED_REPO') });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('HF_TOKEN');
    expect(within(alert).getByRole('link', { name: /Open the repository page/ }).getAttribute('href')).toBe(
      'https://huggingface.co/gyroing/Persian-Piper-Model-Amir',
    );
  });
});
