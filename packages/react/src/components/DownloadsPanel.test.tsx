import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DownloadsPanel } from './DownloadsPanel.js';
import { makeJob, makeModel, renderInTheme } from './testing.js';

const job = makeJob({
  files: [
    { path: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx', size: 63_000_000, bytesDownloaded: 31_500_000, status: 'downloading', lfs: true },
    { path: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json', size: 5_000, bytesDownloaded: 5_000, status: 'completed', lfs: false },
  ],
});

describe('DownloadsPanel', () => {
  it('lists each file left-to-right with its size and progress, once the file list is opened', async () => {
    const user = userEvent.setup();
    renderInTheme(<DownloadsPanel jobs={[{ ...job, fileDetail: 'all' }]} models={[makeModel()]} />);
    expect(screen.getByRole('heading', { name: 'صدای امیر (Piper)' })).toBeTruthy();
    expect(screen.queryByText('fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx')).toBeNull();
    await user.click(screen.getByRole('button', { name: /^فایل‌ها \(۲\)/ }));
    const path = screen.getByText('fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    expect(path.tagName).toBe('BDI');
    expect(path.getAttribute('dir')).toBe('ltr');
    expect(screen.getByText('۶۳ مگابایت')).toBeTruthy();
    const fileBar = screen.getByRole('progressbar', { name: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' });
    expect(fileBar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('progressbar', { name: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json' }).getAttribute('aria-valuenow')).toBe('100');
  });

  it('pauses, resumes and cancels by job id', async () => {
    const user = userEvent.setup();
    const onPause = vi.fn();
    const onResume = vi.fn();
    const onCancel = vi.fn();
    renderInTheme(
      <DownloadsPanel
        locale="en"
        jobs={[job, makeJob({ id: 'job-2', status: 'paused', repoId: 'org/other', catalogId: null })]}
        onPause={onPause}
        onResume={onResume}
        onCancel={onCancel}
      />,
    );
    await user.click(screen.getByRole('button', { name: /^Pause / }));
    expect(onPause).toHaveBeenCalledWith('job-1');
    await user.click(screen.getByRole('button', { name: 'Resume org/other' }));
    expect(onResume).toHaveBeenCalledWith('job-2');
    await user.click(screen.getByRole('button', { name: 'Cancel org/other' }));
    expect(onCancel).not.toHaveBeenCalled();
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel and delete' }));
    expect(onCancel).toHaveBeenCalledWith('job-2');
  });

  it('asks the host for every file of a job when its list is opened (events carry only changed files)', async () => {
    const user = userEvent.setup();
    let loaded!: () => void;
    const onLoadFiles = vi.fn(() => new Promise<void>((resolve) => (loaded = resolve)));
    const { rerender } = renderInTheme(<DownloadsPanel locale="en" jobs={[{ ...job, files: [], fileDetail: 'none', fileCount: 2 }]} onLoadFiles={onLoadFiles} />);
    await user.click(screen.getByRole('button', { name: /^Files \(2\)/ }));
    expect(onLoadFiles).toHaveBeenCalledWith('job-1');
    expect(screen.getByText('Loading the file list…')).toBeTruthy();
    rerender(<DownloadsPanel locale="en" jobs={[{ ...job, fileDetail: 'all', fileCount: 2 }]} onLoadFiles={onLoadFiles} />);
    loaded();
    expect(await screen.findByText('fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json')).toBeTruthy();
  });

  it('shows running jobs first, then paused, failed and finished ones, each with a true state', () => {
    renderInTheme(
      <DownloadsPanel
        locale="en"
        jobs={[
          makeJob({ id: 'done', status: 'completed', repoId: 'org/done', catalogId: null }),
          makeJob({ id: 'failed', status: 'failed', repoId: 'org/failed', catalogId: null, error: { code: 'BLOCKED', message: 'reset' } }),
          makeJob({ id: 'paused', status: 'paused', repoId: 'org/paused', catalogId: null }),
          makeJob({ id: 'prep', status: 'resolving', bytesTotal: null, repoId: 'org/prep', catalogId: null }),
        ]}
        onPickBundle={vi.fn()}
      />,
    );
    const rows = document.querySelectorAll('[data-job-id]');
    expect([...rows].map((r) => `${r.getAttribute('data-job-id')}:${r.getAttribute('data-phase')}`)).toEqual([
      'prep:preparing',
      'paused:paused',
      'failed:failed',
      'done:completed',
    ]);
    const failed = rows[2] as HTMLElement;
    expect(within(failed).getByRole('alert').textContent).toContain('Hugging Face is blocked on this network');
    expect(within(failed).getByRole('button', { name: 'Install from offline bundle' })).toBeTruthy();
  });

  it('says when there are no downloads', () => {
    renderInTheme(<DownloadsPanel locale="en" jobs={[]} />);
    expect(screen.getByText('No downloads.')).toBeTruthy();
  });
});
