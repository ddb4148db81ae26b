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

// Each button also says whose it is, for screen readers (visually hidden): strip that here.
const MODEL_NAMES = / (Amir voice \(Piper\)|صدای امیر \(Piper\))$/;
const buttonNames = () => screen.queryAllByRole('button').map((b) => b.textContent?.replace(MODEL_NAMES, ''));
const byName = (label: string) => screen.getByRole('button', { name: new RegExp(`^${label} `) });

/** Clicks the confirm button of the open dialog. */
async function confirmDialog(user: ReturnType<typeof userEvent.setup>) {
  const dialog = screen.getByRole('alertdialog');
  await user.click(within(dialog).getByRole('button', { name: /Cancel and delete|Remove|لغو و پاک کردن|حذف/ }));
}

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
      const button = byName(name);
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
    expect(running.cb.onCancel).not.toHaveBeenCalled(); // asks first
    await confirmDialog(user);
    expect(running.cb.onCancel).toHaveBeenCalledWith('job-42');
    running.unmount();

    const paused = renderCard({ locale: 'en', model: makeModel({ job: makeJob({ id: 'job-7', status: 'paused' }) }) });
    await press('Resume');
    expect(paused.cb.onResume).toHaveBeenCalledWith('job-7');
    paused.unmount();

    const installed = renderCard({ locale: 'en', model: makeModel({ installed: installedSnapshot }) });
    await press('Remove');
    await confirmDialog(user);
    expect(installed.cb.onRemove).toHaveBeenCalledWith('piper-fa-amir');
    await press('Open folder');
    expect(installed.cb.onOpenFolder).toHaveBeenCalledWith('piper-fa-amir', installedSnapshot.path);
  });

  it('reaches every action with Tab', async () => {
    const user = userEvent.setup();
    renderCard({ locale: 'en', model: makeModel({ job: makeJob() }) });
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Pause Amir voice (Piper)');
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Cancel Amir voice (Piper)');
    await user.tab();
    expect(document.activeElement?.tagName).toBe('SUMMARY');
  });
});

describe('ModelCard pending and disabled states', () => {
  it('spins the pending button and disables the others', async () => {
    const user = userEvent.setup();
    const { cb } = renderCard({ locale: 'en', model: makeModel({ job: makeJob() }), pendingAction: 'pause' });
    const pause = byName('Pause') as HTMLButtonElement;
    const cancel = byName('Cancel') as HTMLButtonElement;
    expect(pause.disabled).toBe(true);
    expect(pause.getAttribute('aria-busy')).toBe('true');
    expect(cancel.disabled).toBe(true);
    await user.click(cancel);
    expect(cb.onCancel).not.toHaveBeenCalled();
  });

  it('disables every action with `disabled`', () => {
    renderCard({ locale: 'en', disabled: true });
    expect((byName('Download') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ModelCard destructive actions', () => {
  it('asks before Cancel, saying how much downloaded data is deleted; keeping it changes nothing', async () => {
    const user = userEvent.setup();
    const { cb } = renderCard({ locale: 'en', model: makeModel({ job: makeJob({ id: 'job-9', bytesDownloaded: 120_000_000 }) }) });
    await user.click(byName('Cancel'));
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Cancel downloading “Amir voice (Piper)”?');
    expect(dialog.textContent).toContain('The 120 MB downloaded so far will be deleted. Pause keeps it');
    // The safe choice has the focus.
    expect(document.activeElement?.textContent).toBe('Keep downloading');
    await user.click(within(dialog).getByRole('button', { name: 'Keep downloading' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(cb.onCancel).not.toHaveBeenCalled();
  });

  it('asks before Remove, in Persian, with the size on disk in Persian digits', async () => {
    const user = userEvent.setup();
    const { cb } = renderCard({ model: makeModel({ installed: installedSnapshot }) });
    await user.click(byName('حذف'));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('«صدای امیر (Piper)» حذف شود؟');
    expect(dialog.textContent).toContain('۶۳٫۲ مگابایت از دیسک سرور پاک می‌شود');
    await user.click(within(dialog).getByRole('button', { name: 'حذف' }));
    expect(cb.onRemove).toHaveBeenCalledWith('piper-fa-amir');
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('makes Pause the main action and Cancel the quiet one while downloading', () => {
    renderCard({ locale: 'en', model: makeModel({ job: makeJob() }) });
    expect(byName('Pause').className).toContain('rt-variant-soft');
    expect(byName('Cancel').className).toContain('rt-variant-ghost');
  });

  it('calls straight through with confirmDestructive={false}', async () => {
    const user = userEvent.setup();
    const { cb } = renderCard({ locale: 'en', confirmDestructive: false, model: makeModel({ job: makeJob({ id: 'job-3' }) }) });
    await user.click(byName('Cancel'));
    expect(cb.onCancel).toHaveBeenCalledWith('job-3');
  });
});

describe('ModelCard markers and links', () => {
  it('names every action after its model, so a screen reader hears whose button it is', () => {
    renderCard({ locale: 'en' });
    expect(screen.getByRole('button', { name: 'Download Amir voice (Piper)' })).toBeTruthy();
  });

  it('says commercial use is yes, no or unclear, never "no" for a permissive licence', () => {
    const chip = () => screen.getByTestId('commercial-use').textContent;
    const { unmount } = renderCard({ locale: 'en' });
    expect(chip()).toContain('Commercial use: yes');
    unmount();
    const nc = renderCard({ locale: 'en', model: makeModel({ license: 'cc-by-nc-sa-4.0', commercialUse: false }) });
    expect(chip()).toContain('Commercial use: no');
    expect(screen.getByText('CC BY-NC-SA 4.0').tagName).toBe('BDI');
    nc.unmount();
    // An MIT voice trained on data of unknown terms: unclear, not forbidden.
    renderCard({ model: makeModel({ license: 'mit', commercialUse: false }) });
    expect(chip()).toContain('استفادهٔ تجاری: نامشخص');
    expect(screen.getByTestId('commercial-use').className).not.toContain('orange');
  });

  it('translates a licence that is not stated', () => {
    renderCard({ model: makeModel({ license: 'unknown' }) });
    expect(screen.getByText(/مجوز: اعلام نشده/)).toBeTruthy();
    expect(screen.queryByText('unknown')).toBeNull();
  });

  it('shows format, runtime, memory and a pickle warning as chips', () => {
    renderCard({
      locale: 'en',
      model: makeModel({ kind: 'tts', include: ['config.json', 'best_model.pth'], tags: ['coqui', 'vits', 'pickle'], sizeBytes: 998_000_000 }),
    });
    const chips = screen.getByRole('list', { name: 'Format and requirements' });
    const texts = within(chips).getAllByRole('listitem').map((li) => li.textContent);
    expect(texts).toEqual(expect.arrayContaining(['PyTorch', 'runs with Coqui TTS', expect.stringMatching(/^memory ≈ 1\.2 GB/)]));
    expect(screen.getByTestId('pickle').textContent).toContain('pickle file');
    expect(screen.getByTestId('pickle').textContent).toContain('can run code');
  });

  it('shows each topic tag once, in the card’s language, inside the folded details', () => {
    renderCard({ model: makeModel({ tags: ['tts', 'گفتار', 'male', 'مرد', 'piper'] }) });
    const details = document.querySelector('details.ph-more')!;
    expect(details.hasAttribute('open')).toBe(false);
    expect(details.textContent).toContain('گفتار، مرد');
    expect(details.textContent).not.toContain('male');
  });

  it('marks gated repos and links to the access request before any download, saying whether the server can use it', () => {
    const { unmount } = renderCard({ model: makeModel({ gated: true }), capabilities: { hubToken: false, bundleUpload: false } });
    expect(screen.getByTestId('gated').textContent).toContain('دسترسی با درخواست');
    const note = screen.getByTestId('gated-note');
    expect(note.textContent).toContain('این سرور حساب Hugging Face ندارد');
    expect(within(note).getByRole('link', { name: /درخواست دسترسی در Hugging Face/ }).getAttribute('href')).toBe(
      'https://huggingface.co/gyroing/Persian-Piper-Model-Amir',
    );
    unmount();
    renderCard({ locale: 'en', model: makeModel({ gated: true }), capabilities: { hubToken: true, bundleUpload: false } });
    expect(screen.getByTestId('gated-note').textContent).toContain('This server signs in to Hugging Face');
  });

  it('shows the name in the locale and the repo id left-to-right', () => {
    renderCard({ locale: 'en' });
    expect(screen.getByRole('heading', { name: 'Amir voice (Piper)' })).toBeTruthy();
    const repo = screen.getByText('gyroing/Persian-Piper-Model-Amir');
    expect(repo.tagName).toBe('BDI');
    expect(repo.getAttribute('dir')).toBe('ltr');
    expect(screen.getByText('63.2 MB')).toBeTruthy();
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
    expect(link.closest('details')).toBeTruthy();
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
    expect(screen.getByRole('alert').textContent).toContain('needs 450 MB, but only 120 MB is free');
  });

  it('writes for the person clicking: settings only for the admin, folded', () => {
    renderCard({ locale: 'en', model: failed('GATED_REPO'), capabilities: { hubToken: false, bundleUpload: false } });
    const alert = screen.getByRole('alert');
    const details = alert.querySelector('details')!;
    const visible = alert.textContent!.replace(details.textContent!, '');
    expect(visible).not.toContain('HF_TOKEN');
    expect(visible).toContain('This server has no Hugging Face sign-in');
    expect(details.textContent).toContain('For the server administrator: Set HF_TOKEN');
    expect(within(alert).getByRole('link', { name: /Request access on Hugging Face/ }).getAttribute('href')).toBe(
      'https://huggingface.co/gyroing/Persian-Piper-Model-Amir',
    );
  });

  it('offers «نصب از بستهٔ آفلاین» when Hugging Face is blocked, and no mirror or proxy settings', async () => {
    const user = userEvent.setup();
    const onPickBundle = vi.fn();
    renderCard({ model: failed('BLOCKED'), onPickBundle });
    const alert = screen.getByRole('alert');
    const visible = alert.textContent!.replace(alert.querySelector('details')!.textContent!, '');
    expect(visible).not.toMatch(/HF_ENDPOINT|HTTPS_PROXY/);
    await user.click(within(alert).getByRole('button', { name: 'نصب از بستهٔ آفلاین' }));
    expect(onPickBundle).toHaveBeenCalledOnce();
  });

  it('writes status codes in Persian digits', () => {
    renderCard({ model: failed('HUB_ERROR', { status: 200 }) });
    expect(screen.getByRole('alert').textContent).toContain('(کد ۲۰۰)');
    expect(screen.getByRole('alert').textContent).not.toContain('کد 200');
  });
});
